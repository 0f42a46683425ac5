using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Security;

/// <summary>
/// Encrypts Spotify tokens before they are stored (AES-256-GCM). The user id is bound in as associated data,
/// so a ciphertext copied onto another user's row fails to decrypt instead of impersonating them.
/// <para>
/// Keys have ids (<c>Security:TokenEncryptionKeys</c>, the first current; <c>Security:TokenEncryptionKey</c> is the key
/// <see cref="SecurityOptions.DefaultKeyId"/>). Every write uses the current key; a read takes the key the token names.
/// Stored form: <c>{keyId}:base64(nonce[12] | tag[16] | ciphertext)</c>, or, for the default key, the bare base64 that
/// tokens had before key ids (base64 has no colon, so the two never mix up).
/// </para>
/// </summary>
public sealed class TokenProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const char KeyIdSeparator = ':';
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly byte[] _currentKey;

    public TokenProtector(IOptions<SecurityOptions> options)
    {
        var o = options.Value;
        foreach (var key in o.TokenEncryptionKeys)
        {
            _keys[key.Id] = KeyBytes(key.Key);
        }
        if (!string.IsNullOrWhiteSpace(o.TokenEncryptionKey))
        {
            _keys.TryAdd(SecurityOptions.DefaultKeyId, KeyBytes(o.TokenEncryptionKey));
        }
        CurrentKeyId = o.TokenEncryptionKeys.Count > 0 ? o.TokenEncryptionKeys[0].Id : SecurityOptions.DefaultKeyId;
        _currentKey = _keys.TryGetValue(CurrentKeyId, out var current)
            ? current
            : throw new ArgumentException("Security:TokenEncryptionKey or Security:TokenEncryptionKeys is required.", nameof(options));
    }

    /// <summary>The id of the key every write uses (stored on each row as <c>token_key_id</c>).</summary>
    public string CurrentKeyId { get; }

    public string Protect(string token, string userId)
    {
        var plaintext = Encoding.UTF8.GetBytes(token);
        var buffer = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = buffer.AsSpan(0, NonceSize);
        var tag = buffer.AsSpan(NonceSize, TagSize);
        var ciphertext = buffer.AsSpan(NonceSize + TagSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_currentKey, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(userId));
        var encoded = Convert.ToBase64String(buffer);
        return CurrentKeyId == SecurityOptions.DefaultKeyId ? encoded : CurrentKeyId + KeyIdSeparator + encoded;
    }

    public string Unprotect(string protectedToken, string userId)
    {
        var keyId = KeyIdOf(protectedToken);
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The stored token was encrypted with key '{keyId}', which is not configured in Security:TokenEncryptionKeys.");
        }
        var buffer = Convert.FromBase64String(keyId == SecurityOptions.DefaultKeyId && protectedToken.IndexOf(KeyIdSeparator) < 0
            ? protectedToken
            : protectedToken[(keyId.Length + 1)..]);
        if (buffer.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Stored token is too short to be one of ours.");
        }
        var plaintext = new byte[buffer.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(
            buffer.AsSpan(0, NonceSize),
            buffer.AsSpan(NonceSize + TagSize),
            buffer.AsSpan(NonceSize, TagSize),
            plaintext,
            Encoding.UTF8.GetBytes(userId));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>The id of the key a stored token was encrypted with.</summary>
    public static string KeyIdOf(string protectedToken)
    {
        var separator = protectedToken.IndexOf(KeyIdSeparator);
        return separator < 0 ? SecurityOptions.DefaultKeyId : protectedToken[..separator];
    }

    /// <summary>The stored token under the current key: itself when it already is, else decrypted and encrypted again.</summary>
    public string? ToCurrentKey(string? protectedToken, string userId) =>
        protectedToken is null || KeyIdOf(protectedToken) == CurrentKeyId ? protectedToken : Protect(Unprotect(protectedToken, userId), userId);

    private static byte[] KeyBytes(string base64)
    {
        var key = Convert.FromBase64String(base64);
        return key.Length == 32 ? key : throw new ArgumentException("A token encryption key must be 32 bytes.", nameof(base64));
    }
}
