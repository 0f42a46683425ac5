namespace SpotifySync.SpotifyEmulator;

/// <summary>A fake Spotify account. Its refresh token changes when it rotates or is re-authorised.</summary>
public sealed class EmulatorUser
{
    private volatile string refreshToken;
    private volatile bool rotateRefreshTokens;

    internal EmulatorUser(string userId, EmulatorUserSettings settings, DateTimeOffset createdAt, string refreshToken, PlaySchedule schedule)
    {
        UserId = userId;
        Settings = settings;
        CreatedAt = createdAt;
        this.refreshToken = refreshToken;
        rotateRefreshTokens = settings.RotateRefreshTokens;
        Schedule = schedule;
        LatePlays = new LatePlays(userId);
    }

    public string UserId { get; }

    public EmulatorUserSettings Settings { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The refresh token Spotify currently accepts for this user (unless it was revoked).</summary>
    public string RefreshToken
    {
        get => refreshToken;
        internal set => refreshToken = value;
    }

    public bool RotateRefreshTokens
    {
        get => rotateRefreshTokens;
        internal set => rotateRefreshTokens = value;
    }

    internal PlaySchedule Schedule { get; }

    /// <summary>Plays added after newer ones were already visible; see <see cref="EmulatorState.AddLatePlay"/>.</summary>
    internal LatePlays LatePlays { get; }
}
