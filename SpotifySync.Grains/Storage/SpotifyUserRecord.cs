namespace SpotifySync.Grains.Storage;

/// <summary>A row of <c>spotify_users</c>. Tokens are stored encrypted (see <see cref="Security.TokenProtector"/>).</summary>
public sealed record SpotifyUserRecord
{
    public required string UserId { get; init; }
    public required string State { get; init; }
    public string? RefreshTokenEncrypted { get; init; }
    public string? AccessTokenEncrypted { get; init; }
    public DateTimeOffset? AccessTokenExpiresAt { get; init; }
    public string? Scope { get; init; }
    public DateTimeOffset? AuthorizedAt { get; init; }
    public string? ReconnectReason { get; init; }
    public DateTimeOffset? LatestPlayedAt { get; init; }
    public DateTimeOffset? ScheduleAnchor { get; init; }
    public DateTimeOffset? LastSyncStartedAt { get; init; }

    /// <summary>The reminder's first due time after the last sync started (<c>MissedSchedule.NextDueAfter</c>); null in rows written before it.</summary>
    public DateTimeOffset? NextSyncDueAt { get; init; }
    public DateTimeOffset? LastSyncCompletedAt { get; init; }
    public string? LastSyncOutcome { get; init; }
    public string? LastSyncError { get; init; }
    public string? LastSyncTrigger { get; init; }
    public int LastSyncTracks { get; init; }
    public int ConsecutiveFailures { get; init; }
    public long TotalTracks { get; init; }
    public long TotalSyncs { get; init; }
    public int GapsDetected { get; init; }
    public DateTimeOffset? LastGapFrom { get; init; }
    public DateTimeOffset? LastGapTo { get; init; }
    public int? ExpiryWarningDays { get; init; }
    public Guid? LastSyncId { get; init; }

    /// <summary>The id of the key the row's tokens are encrypted with (see <see cref="Security.TokenProtector"/>); null without tokens.</summary>
    public string? TokenKeyId { get; init; }

    /// <summary>When Spotify refused the refresh token of a <see cref="SpotifyUserStates.Quarantined"/> user.</summary>
    public DateTimeOffset? QuarantinedAt { get; init; }

    /// <summary>Optimistic concurrency: 0 means "not stored yet".</summary>
    public long Version { get; init; }

    public bool IsActive => State == SpotifyUserStates.Active;

    public bool IsQuarantined => State == SpotifyUserStates.Quarantined;

    /// <summary>
    /// This record's changes laid over <paramref name="stored"/>, a newer version of the row written meanwhile
    /// (another activation during a membership change, or our own write whose answer was lost). The grain's copy
    /// wins (its tokens, state and last outcome are the newest it knows: a token just obtained must never be
    /// dropped), except for what only ever grows with committed plays: the cursor and the counters.
    /// </summary>
    public SpotifyUserRecord RebasedOn(SpotifyUserRecord? stored) => stored is null
        ? this with { Version = 0 }
        : this with
        {
            Version = stored.Version,
            LatestPlayedAt = Later(LatestPlayedAt, stored.LatestPlayedAt),
            TotalTracks = Math.Max(TotalTracks, stored.TotalTracks),
            TotalSyncs = Math.Max(TotalSyncs, stored.TotalSyncs),
            GapsDetected = Math.Max(GapsDetected, stored.GapsDetected),
        };

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    public override string ToString() => $"SpotifyUserRecord {{ UserId = {UserId}, State = {State}, Version = {Version} }}";
}

public static class SpotifyUserStates
{
    public const string Active = "active";
    public const string Quarantined = "quarantined";
    public const string NeedsReconnect = "needs_reconnect";
    public const string Disconnected = "disconnected";
}
