namespace SpotifySync.SpotifyEmulator;

/// <summary>Which Spotify endpoints a fault covers: a throttle window, or stalled bodies.</summary>
public enum ThrottleScope
{
    All,
    TokenEndpoint,
    WebApi,
}
