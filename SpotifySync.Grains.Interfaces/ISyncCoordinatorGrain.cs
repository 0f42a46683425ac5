using Orleans.Concurrency;

namespace SpotifySync.Grains.Interfaces;

/// <summary>
/// The single cluster-wide sync queue (key: <see cref="SyncCoordinatorKey.Value"/>). It decides when each user's
/// sync may start so the app stays under Spotify's per-app rate limit; every call returns at once.
/// </summary>
public interface ISyncCoordinatorGrain : IGrainWithIntegerKey
{
    /// <summary>Queue a user (at most once; a manual request promotes a scheduled entry). Returns at once.</summary>
    Task<QueueTicket> EnqueueAsync(string userId, SyncTrigger trigger);

    /// <summary>
    /// Queue every active user (the "sync all" of the app backend and of <c>Sync:RunOnStartup</c>). Interleaved: while
    /// it reads the active users from PostgreSQL (100,000 ids and more), claims, reports and the dispatch timer go on;
    /// the queue changes once the list is in, in one turn.
    /// </summary>
    [AlwaysInterleave]
    Task<SyncAllResult> EnqueueAllActiveUsersAsync(SyncTrigger trigger);

    /// <summary>
    /// A dispatched user grain asks to start now. The spacing is kept between granted starts, not between
    /// dispatches, so a grain that receives its dispatch late (busy, slow silo) cannot bunch up with the next
    /// user. False when the dispatch is stale (its slot was given away, or this coordinator never made it because it
    /// moved silos); the user is then queued again (<paramref name="trigger"/> and <paramref name="syncId"/> keep it
    /// the same sync for whoever waits on it). <paramref name="runningOn"/> is the grain's silo: if it is declared
    /// dead, the sync is given up at once (<see cref="ForgetSyncsOnAsync"/>) rather than after <c>Sync:InFlightTimeout</c>.
    /// </summary>
    Task<bool> ClaimStartAsync(string userId, long dispatchId, SyncTrigger trigger, Guid syncId, SiloAddress runningOn);

    /// <summary>
    /// Silos were declared dead: the syncs running on them will never report, so their users go back to the front of
    /// the queue (same trigger and sync id) instead of staying held until <c>Sync:InFlightTimeout</c>. Returns how many.
    /// </summary>
    Task<int> ForgetSyncsOnAsync(IReadOnlyList<SiloAddress> deadSilos);

    /// <summary>
    /// A user grain's sync ended. One-way: the user's grain has nothing to wait for (a lost report only keeps the
    /// user counted as running until <c>Sync:InFlightTimeout</c>), and one message fewer per sync.
    /// </summary>
    [OneWay]
    Task ReportAsync(SyncOutcome outcome);

    /// <summary>
    /// A Spotify call outside a sync (the token broker's refresh, a code exchange) met a 429: pause dispatch as a sync's
    /// 429 would. Nobody is queued for it. One-way: the caller answers its own client at once.
    /// </summary>
    [OneWay]
    Task ReportThrottledAsync(string userId, TimeSpan? retryAfter, bool quotaExceeded);

    Task<CoordinatorStatus> GetStatusAsync();

    /// <summary>
    /// A user grain is about to refresh an access token at Spotify: counted for the <c>invalid_grant</c> storm
    /// detector; false during a storm, and the refresh must not be sent.
    /// </summary>
    Task<bool> MayRefreshAsync(string userId);

    /// <summary>
    /// Spotify refused the user's refresh token (<c>invalid_grant</c>); the grain quarantined its tokens. The coordinator
    /// answers later with <see cref="IUserSyncGrain.ResolveQuarantineAsync"/>: erase once the window closes without a
    /// storm, retry once a storm is over.
    /// </summary>
    [OneWay]
    Task RefreshRefusedAsync(string userId);

    /// <summary>A quarantined user is active again (its retry worked, it reconnected, or it was no longer quarantined).</summary>
    [OneWay]
    Task QuarantineLiftedAsync(string userId);

    /// <summary>1-based queue position, 0 while running, null when the user is neither queued nor running.</summary>
    Task<int?> GetPositionAsync(string userId);

    /// <summary>Wakes the coordinator (and so its persisted queue) after a silo start or a lost activation.</summary>
    Task EnsureRunningAsync();
}

public static class SyncCoordinatorKey
{
    public const long Value = 0;
}
