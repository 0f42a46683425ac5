namespace SpotifySync.SpotifyEmulator;

/// <summary>Body of <c>POST /_emulator/users/{id}/late-plays</c>: <c>{"playedAt":"2026-11-24T10:00:00.123Z"}</c>.</summary>
internal sealed class LatePlayRequest
{
    /// <summary>Must not be in the future; nullable so that a missing field is a 400, not the year 1.</summary>
    public DateTimeOffset? PlayedAt { get; init; }
}
