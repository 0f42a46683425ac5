using Microsoft.Extensions.Options;

namespace SpotifySync.Grains.Options;

public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.TokenEncryptionKey))
        {
            return ValidateOptionsResult.Fail("Security:TokenEncryptionKey is required: base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
        }
        Span<byte> key = stackalloc byte[64];
        if (!Convert.TryFromBase64String(options.TokenEncryptionKey, key, out var length) || length != 32)
        {
            return ValidateOptionsResult.Fail("Security:TokenEncryptionKey must be base64 of exactly 32 bytes (a 256-bit AES key).");
        }
        return ValidateOptionsResult.Success;
    }
}
