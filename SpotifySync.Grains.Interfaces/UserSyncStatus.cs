namespace SpotifySync.Grains.Interfaces;

/// <summary>Everything the app backend and operators need to know about one user's sync.</summary>
[GenerateSerializer, Immutable]
public sealed record UserSyncStatus
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public UserConnectionState State { get; init; }
    [Id(2)] public string? ReconnectReason { get; init; }
    [Id(3)] public DateTimeOffset? AuthorizedAt { get; init; }
    [Id(4)] public DateTimeOffset? RefreshTokenExpiresAt { get; init; }
    [Id(5)] public DateTimeOffset? LastSyncStartedAt { get; init; }
    [Id(6)] public DateTimeOffset? LastSyncCompletedAt { get; init; }
    [Id(7)] public string? LastSyncOutcome { get; init; }
    [Id(8)] public string? LastError { get; init; }
    [Id(9)] public string? LastTrigger { get; init; }
    [Id(10)] public DateTimeOffset? NextScheduledSync { get; init; }
    [Id(11)] public DateTimeOffset? LatestPlayedAt { get; init; }
    [Id(12)] public long TotalTracks { get; init; }
    [Id(13)] public long TotalSyncs { get; init; }
    [Id(14)] public int ConsecutiveFailures { get; init; }
    [Id(15)] public int LastSyncTracks { get; init; }

    /// <summary>Set while scheduled syncs are backing off after repeated failures (manual syncs still run).</summary>
    [Id(16)] public DateTimeOffset? BackoffUntil { get; init; }

    /// <summary>How many syncs found 50 plays all newer than the cursor: plays may have been missed.</summary>
    [Id(17)] public int GapsDetected { get; init; }
    [Id(18)] public DateTimeOffset? LastGapFrom { get; init; }
    [Id(19)] public DateTimeOffset? LastGapTo { get; init; }

    /// <summary>The queued sync (<see cref="QueueTicket.SyncId"/>) that the last outcome belongs to.</summary>
    [Id(20)] public Guid? LastSyncId { get; init; }
}
