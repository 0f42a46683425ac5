namespace SpotifySync.SpotifyEmulator;

/// <summary>Which Spotify endpoints a throttle window covers.</summary>
public enum ThrottleScope
{
    All,
    TokenEndpoint,
    WebApi,
}
