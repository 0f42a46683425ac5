namespace SpotifySync.SpotifyEmulator;

/// <summary>Body that turns a per-user behaviour on or off: <c>{"enabled":true}</c>.</summary>
internal sealed class SwitchRequest
{
    public bool Enabled { get; init; }
}
