using System.Security.Cryptography;
using System.Text;

namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// Authorization codes as Spotify's sign-in hands them to an app: single use, short-lived, bound to the redirect URI
/// they were issued for and, with PKCE, to a S256 code challenge. A code is spent by its first redemption attempt,
/// whether that attempt succeeds or not.
/// </summary>
internal sealed class AuthorizationCodes(TimeProvider timeProvider)
{
    /// <summary>Spotify does not publish its codes' lifetime; OAuth recommends at most 10 minutes.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly Lock gate = new();
    private readonly Dictionary<string, IssuedCode> codes = new(StringComparer.Ordinal);

    public IssuedAuthorizationCode Issue(EmulatorUser user, string redirectUri, string? codeChallenge, TimeSpan lifetime)
    {
        var code = "AQ" + TokenFactory.NewAccessToken()[2..];
        var expiresAt = timeProvider.GetUtcNow() + lifetime;
        lock (gate)
        {
            codes.Add(code, new IssuedCode(user, redirectUri, codeChallenge, expiresAt));
        }
        return new IssuedAuthorizationCode(code, expiresAt);
    }

    /// <summary>The user the code was issued to, or why it is refused (Spotify's <c>invalid_grant</c> description).</summary>
    /// <param name="codeVerifier">Sent by a PKCE client; null with client credentials.</param>
    public (EmulatorUser? User, string? Refusal) Redeem(string code, string redirectUri, string? codeVerifier)
    {
        lock (gate)
        {
            if (!codes.TryGetValue(code, out var issued))
            {
                return (null, "Invalid authorization code");
            }
            if (issued.Used)
            {
                return (null, "Authorization code already used");
            }
            issued.Used = true;
            if (timeProvider.GetUtcNow() >= issued.ExpiresAt)
            {
                return (null, "Authorization code expired");
            }
            if (!string.Equals(issued.RedirectUri, redirectUri, StringComparison.Ordinal))
            {
                return (null, "Invalid redirect URI");
            }
            if (issued.CodeChallenge is { } challenge
                ? codeVerifier is null || !string.Equals(challenge, S256(codeVerifier), StringComparison.Ordinal)
                : codeVerifier is not null)
            {
                return (null, "code_verifier was incorrect");
            }
            return (issued.User, null);
        }
    }

    public string? OwnerOf(string code)
    {
        lock (gate)
        {
            return codes.TryGetValue(code, out var issued) ? issued.User.UserId : null;
        }
    }

    /// <summary>RFC 7636's S256: base64url(SHA-256(ASCII(verifier))), unpadded.</summary>
    public static string S256(string codeVerifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier))).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private sealed class IssuedCode(EmulatorUser user, string redirectUri, string? codeChallenge, DateTimeOffset expiresAt)
    {
        public EmulatorUser User { get; } = user;

        public string RedirectUri { get; } = redirectUri;

        public string? CodeChallenge { get; } = codeChallenge;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Used { get; set; }
    }
}
