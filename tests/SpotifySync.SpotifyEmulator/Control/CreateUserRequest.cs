namespace SpotifySync.SpotifyEmulator;

/// <summary>Body of <c>POST /_emulator/users</c>; missing fields take the <see cref="EmulatorUserSettings"/> defaults.</summary>
internal sealed class CreateUserRequest
{
    public string? UserId { get; init; }

    public int? InitialPlays { get; init; }

    /// <summary>0 means the user stops listening.</summary>
    public double? PlayIntervalSeconds { get; init; }

    public bool? RotateRefreshTokens { get; init; }

    public bool? IncludeLocalFiles { get; init; }

    public string? RefreshToken { get; init; }
}
