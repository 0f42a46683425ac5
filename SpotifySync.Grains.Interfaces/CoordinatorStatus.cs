namespace SpotifySync.Grains.Interfaces;

/// <summary>The cluster-wide sync queue as the coordinator sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record CoordinatorStatus
{
    [Id(0)] public int QueueLength { get; init; }
    [Id(1)] public int ManualQueued { get; init; }
    [Id(2)] public int ScheduledQueued { get; init; }
    [Id(3)] public int InFlight { get; init; }
    [Id(4)] public DateTimeOffset? PausedUntil { get; init; }
    [Id(5)] public string? PauseReason { get; init; }
    [Id(6)] public TimeSpan SpacingBetweenUsers { get; init; }
    [Id(7)] public double UsersPerHour { get; init; }
    [Id(8)] public DateTimeOffset? BatchStartedAt { get; init; }
    [Id(9)] public DateTimeOffset? EstimatedQueueDrainedAt { get; init; }
    [Id(10)] public SyncBatchSummary? LastBatch { get; init; }

    /// <summary>Active users whose refresh token expires within 30 days (soonest first): ask them to reconnect.</summary>
    [Id(11)] public IReadOnlyList<ExpiringUser> ExpiringSoon { get; init; } = [];

    /// <summary>Whether PostgreSQL answered this status query: without it no sync can commit.</summary>
    [Id(12)] public bool DatabaseReachable { get; init; }

    [Id(13)] public DispatchPauseKind? PauseKind { get; init; }

    /// <summary>The cluster-wide Spotify call budget: configured, in force, and used in the last 30 s.</summary>
    [Id(14)] public CallBudgetStatus? CallBudget { get; init; }

    /// <summary>
    /// Until when this coordinator activation holds the dispatch lease (renewed every quarter of
    /// <c>Sync:CoordinatorLease</c>); null while it does not hold it and so does not dispatch.
    /// </summary>
    [Id(15)] public DateTimeOffset? DispatchLeaseUntil { get; init; }

    /// <summary>The <c>invalid_grant</c> storm detector: whether refreshes are paused, and how many users' tokens are kept.</summary>
    [Id(16)] public InvalidGrantStormStatus InvalidGrantStorm { get; init; } = new();
}
