using System.Security.Cryptography;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Opaque, unguessable tokens shaped like Spotify's (base64url, "BQ…" access, "AQ…" refresh).</summary>
internal static class TokenFactory
{
    public static string NewAccessToken() => "BQ" + RandomText(96);

    public static string NewRefreshToken() => "AQ" + RandomText(96);

    private static string RandomText(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
