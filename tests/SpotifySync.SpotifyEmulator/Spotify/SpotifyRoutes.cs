namespace SpotifySync.SpotifyEmulator;

internal static class SpotifyRoutes
{
    public const string Token = "/api/token";
    public const string RecentlyPlayed = "/v1/me/player/recently-played";
    public const string CurrentUser = "/v1/me";
    public const string ControlPrefix = "/_emulator";

    /// <summary>Everything except the control API counts as Spotify traffic: it is logged and suffers the faults.</summary>
    public static bool IsSpotifyTraffic(HttpContext context) => !context.Request.Path.StartsWithSegments(ControlPrefix);
}
