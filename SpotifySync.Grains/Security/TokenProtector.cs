using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Security;

/// <summary>
/// Encrypts Spotify tokens before they are stored (AES-256-GCM). The user id is bound in as associated data,
/// so a ciphertext copied onto another user's row fails to decrypt instead of impersonating them.
/// Stored form: base64(nonce[12] | tag[16] | ciphertext).
/// </summary>
public sealed class TokenProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public TokenProtector(IOptions<SecurityOptions> options)
    {
        _key = Convert.FromBase64String(options.Value.TokenEncryptionKey);
        if (_key.Length != 32)
        {
            throw new ArgumentException("Security:TokenEncryptionKey must be 32 bytes.", nameof(options));
        }
    }

    public string Protect(string token, string userId)
    {
        var plaintext = Encoding.UTF8.GetBytes(token);
        var buffer = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = buffer.AsSpan(0, NonceSize);
        var tag = buffer.AsSpan(NonceSize, TagSize);
        var ciphertext = buffer.AsSpan(NonceSize + TagSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(userId));
        return Convert.ToBase64String(buffer);
    }

    public string Unprotect(string protectedToken, string userId)
    {
        var buffer = Convert.FromBase64String(protectedToken);
        if (buffer.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Stored token is too short to be one of ours.");
        }
        var plaintext = new byte[buffer.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            buffer.AsSpan(0, NonceSize),
            buffer.AsSpan(NonceSize + TagSize),
            buffer.AsSpan(NonceSize, TagSize),
            plaintext,
            Encoding.UTF8.GetBytes(userId));
        return Encoding.UTF8.GetString(plaintext);
    }
}
