namespace SpotifySync.SpotifyEmulator;

/// <summary>How a fake user listens and how Spotify treats their refresh token.</summary>
public sealed class EmulatorUserSettings
{
    /// <summary>Plays that already happened before the user was added.</summary>
    public int InitialPlays { get; init; } = 10;

    /// <summary>A new play every interval after the user is added; <see cref="TimeSpan.Zero"/> or
    /// <see cref="Timeout.InfiniteTimeSpan"/> means the user stops listening.</summary>
    public TimeSpan PlayInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>When on, every refresh returns a new refresh token and the old one stops working.</summary>
    public bool RotateRefreshTokens { get; init; }

    /// <summary>When on, about every 7th play is a local file (no track, artist or album ids).</summary>
    public bool IncludeLocalFiles { get; init; }

    /// <summary>Fixed first refresh token (the demo uses predictable ones); null picks a random one.</summary>
    public string? InitialRefreshToken { get; init; }
}
