using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SpotifySync.Grains.Options;

public sealed partial class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        var hasSingle = !string.IsNullOrWhiteSpace(options.TokenEncryptionKey);
        if (!hasSingle && options.TokenEncryptionKeys.Count == 0)
        {
            failures.Add("Security:TokenEncryptionKey (or Security:TokenEncryptionKeys) is required: base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
        }
        if (hasSingle && !IsKey(options.TokenEncryptionKey))
        {
            failures.Add("Security:TokenEncryptionKey must be base64 of exactly 32 bytes (a 256-bit AES key).");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.TokenEncryptionKeys.Count; i++)
        {
            var key = options.TokenEncryptionKeys[i];
            if (!KeyId().IsMatch(key.Id ?? ""))
            {
                failures.Add($"Security:TokenEncryptionKeys:{i}:Id must be 1-32 characters of A-Z a-z 0-9 _ - (got '{key.Id}').");
            }
            else if (!ids.Add(key.Id ?? ""))
            {
                failures.Add($"Security:TokenEncryptionKeys:{i}:Id '{key.Id}' is used twice.");
            }
            if (!IsKey(key.Key ?? ""))
            {
                // Never the value: it is a secret.
                failures.Add($"Security:TokenEncryptionKeys:{i}:Key must be base64 of exactly 32 bytes (a 256-bit AES key).");
            }
            else if (hasSingle && key.Id == SecurityOptions.DefaultKeyId && key.Key != options.TokenEncryptionKey)
            {
                failures.Add($"Security:TokenEncryptionKeys:{i} has the id '{SecurityOptions.DefaultKeyId}' of Security:TokenEncryptionKey but another key.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKey(string base64)
    {
        Span<byte> key = stackalloc byte[64];
        return Convert.TryFromBase64String(base64, key, out var length) && length == 32;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex KeyId();
}
