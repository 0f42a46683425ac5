using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The one cluster-wide queue. Spotify limits calls per app, so the cluster must pace itself as one.
/// A timer dispatches queued users with one-way calls; each user's grain claims its start
/// (<see cref="ClaimStartAsync"/>) and only then calls Spotify. How many go out, and when, is the
/// <see cref="DispatchGate"/>'s decision (one at a time, <c>Sync:SpacingBetweenUsers</c> after the last claimed start;
/// or, at spacing zero, as many as <c>Sync:MaxConcurrentSyncs</c> allows while the call budget paces the calls);
/// whether to dispatch at all is the <see cref="DispatchPause"/>'s. Every method returns at once: nothing here waits
/// on Spotify, so no call nears Orleans' response timeout. The queue is written through to PostgreSQL and
/// reloaded when the grain activates on another silo.
/// </summary>
public sealed partial class SyncCoordinatorGrain(
    SyncQueueStore queueStore,
    DispatchPauseStore pauseStore,
    CoordinatorLeaseStore leaseStore,
    SpotifyUserStore users,
    IOptionsMonitor<SyncOptions> options,
    IOptionsMonitor<InvalidGrantStormOptions> stormOptions,
    TimeProvider time,
    SyncMetrics metrics,
    ILogger<SyncCoordinatorGrain> logger)
    : Grain, ISyncCoordinatorGrain
{
    /// <summary>
    /// The queue's writes and the status query are best effort: with PostgreSQL unreachable they must fail fast,
    /// not hold every caller of this single activation for Npgsql's connect or command timeout.
    /// </summary>
    private static readonly TimeSpan BestEffortStoreTimeout = TimeSpan.FromSeconds(2);

    private readonly SyncQueue _queue = new();
    private SyncQueueWriteBehind _queueWrites = null!;
    /// <summary>At most this many dispatches per timer tick, so that one turn stays short whatever the queue holds.</summary>
    private const int MaxDispatchesPerTick = 512;

    private readonly DispatchGate _gate = new();
    private readonly SyncPace _pace = new(TimeSpan.FromSeconds(30));
    private readonly DispatchPause _pause = new();
    private DispatchLeaseKeeper _lease = null!;
    private ExpiringUsersWatch _expiring = null!;
    private MissedSyncWatch _missed = null!;
    private InvalidGrantStormWatch _storm = null!;
    private readonly SyncBatches _batches = new();
    private DispatchPauseReports _pauseReports = null!;
    private DispatchClaims _claims = null!;
    private ReportedOutcomes _outcomes = null!;
    private LostSyncs _lost = null!;
    private CoordinatorStatusView _status = null!;
    private DispatchTimer _timer = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _queueWrites = new SyncQueueWriteBehind(queueStore, BestEffortStoreTimeout, logger);
        _pauseReports = new DispatchPauseReports(_pause, new DispatchPauseWriteBehind(pauseStore, BestEffortStoreTimeout, logger), options, logger);
        _claims = new DispatchClaims(_gate, _queue, _queueWrites, metrics, logger);
        _outcomes = new ReportedOutcomes(_gate, _queue, _pace, _queueWrites, _pause, _pauseReports, _batches, options);
        _lost = new LostSyncs(_gate, _queue, _queueWrites, logger);
        _lease = new DispatchLeaseKeeper(
            leaseStore, $"{RuntimeIdentity}/{Guid.NewGuid():N}", options.CurrentValue.CoordinatorLease, time, logger);
        await _lease.TakeAsync(cancellationToken);
        _expiring = new ExpiringUsersWatch(users, BestEffortStoreTimeout, time, logger);
        await _expiring.RefreshNowAsync();
        _missed = new MissedSyncWatch(users, options, BestEffortStoreTimeout, logger);
        _queue.Load(await queueStore.LoadAsync(cancellationToken));
        var storedPause = await pauseStore.LoadAsync(cancellationToken);
        if (storedPause is not null)
        {
            _pause.Restore(storedPause, time.GetUtcNow());
        }
        _storm = new InvalidGrantStormWatch(GrainFactory, stormOptions, logger);
        _storm.Restore(await users.ListQuarantinedUserIdsAsync(cancellationToken), storedPause);
        _status = new CoordinatorStatusView(_queue, _gate, _pace, _pause, _lease, _batches, _expiring, _storm, options);
        _timer = new DispatchTimer(this, DispatchNextAsync);
        _timer.Start(options.CurrentValue.SpacingBetweenUsers);
        if (_queue.Count > 0)
        {
            LogResumed(_queue.Count);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _queueWrites.FlushNowAsync();
        await _lease.ReleaseAsync(BestEffortStoreTimeout);
    }

    public Task<QueueTicket> EnqueueAsync(string userId, SyncTrigger trigger)
    {
        var now = time.GetUtcNow();
        var (position, alreadyQueued, changed) = _queue.Enqueue(userId, trigger, now);
        if (changed is not null)
        {
            _queueWrites.Upsert([changed]);
        }
        return Task.FromResult(new QueueTicket(position, alreadyQueued, EstimatedStart(position, now), _queue.Find(userId)!.SyncId));
    }

    public async Task<SyncAllResult> EnqueueAllActiveUsersAsync(SyncTrigger trigger)
    {
        // The only await: everything after it runs as one turn, whatever ran while the list was read.
        IReadOnlyList<string> userIds;
        try
        {
            userIds = await users.ListActiveUserIdsAsync(CancellationToken.None);
        }
        catch (Exception e) when (StorageFailure.AtGrainBoundary(e, "the list of active users") is { } boundary)
        {
            LogActiveUsersUnreadable(e);
            throw boundary;
        }
        LogUsersFound(userIds.Count);
        var now = time.GetUtcNow();
        var changed = _queue.AddAll(userIds, trigger, now);
        _queueWrites.Upsert(changed);
        return new SyncAllResult(userIds.Count, changed.Count, _queue.Count, EstimatedStart(_queue.Count, now) + Spacing);
    }

    public Task<bool> ClaimStartAsync(string userId, long dispatchId, SyncTrigger trigger, Guid syncId, SiloAddress runningOn) =>
        Task.FromResult(_claims.Claim(userId, dispatchId, trigger, syncId, runningOn, time.GetUtcNow(), Spacing));

    public async Task ReportAsync(SyncOutcome outcome)
    {
        _outcomes.Record(outcome, time.GetUtcNow());
        if (Spacing == TimeSpan.Zero)
        {
            // The slot this sync held goes out at once, not at the next tick: at spacing 0 the tick would set the pace.
            await DispatchAsync();
        }
    }

    public Task ReportThrottledAsync(string userId, TimeSpan? retryAfter, bool quotaExceeded)
    {
        _pauseReports.Throttled(userId, retryAfter, quotaExceeded, time.GetUtcNow());
        _pauseReports.Save();
        return Task.CompletedTask;
    }

    public Task<bool> MayRefreshAsync(string userId) => Task.FromResult(_storm.MayRefresh(time.GetUtcNow()));

    public Task RefreshRefusedAsync(string userId)
    {
        if (_storm.Refused(userId, time.GetUtcNow()) is { } storm)
        {
            _pauseReports.InvalidGrantStorm(storm.Until, storm.Reason);
        }
        return Task.CompletedTask;
    }

    public Task QuarantineLiftedAsync(string userId)
    {
        _storm.Lifted(userId);
        return Task.CompletedTask;
    }

    public async Task<CoordinatorStatus> GetStatusAsync()
    {
        var now = time.GetUtcNow();
        var spacing = Spacing;
        var paused = _pause.IsPaused(now);
        _expiring.Tick(now);
        var budget = await GrainFactory.GetGrain<ICallBudgetGrain>(CallBudgetKey.Value).GetStatusAsync();
        return _status.Status(now, spacing, paused, budget);
    }

    public Task<int?> GetPositionAsync(string userId) =>
        Task.FromResult(_queue.PositionOf(userId) ?? (_gate.Holds(userId) ? 0 : (int?)null));

    public Task EnsureRunningAsync() => Task.CompletedTask;

    public Task<int> ForgetSyncsOnAsync(IReadOnlyList<SiloAddress> deadSilos) => Task.FromResult(_lost.ForgetOn(deadSilos, time.GetUtcNow()));

    private async Task DispatchNextAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DispatchAsync();
        }
        finally
        {
            _queueWrites.StartFlush();
        }
    }

    private async Task DispatchAsync()
    {
        var now = time.GetUtcNow();
        _timer.Adopt(Spacing);
        _lost.ForgetTimedOut(now, options.CurrentValue.InFlightTimeout);
        _expiring.Tick(now);

        await _storm.EraseDueAsync(now);
        // Asked on every tick, paused or not, so that the lease stays renewed.
        if (!_lease.MayDispatch(now) || _pause.IsPaused(now))
        {
            return;
        }
        foreach (var userId in _missed.Tick(now, held: id => _queue.Find(id) is not null || _gate.Holds(id)))
        {
            // One-way: its grain decides again with its own row, and queues the sync through EnqueueAsync.
            await GrainFactory.GetGrain<IUserSyncGrain>(userId).CatchUpMissedSyncAsync();
        }
        // A retry of a quarantined user calls Spotify: only while dispatching.
        await _storm.RetryNextAsync(now);
        if (_pause.Ended(now))
        {
            LogResumedAfterPause();
        }
        var o = options.CurrentValue;
        var plan = DispatchRound.Plan(_queue, _gate, now,
            new DispatchBounds(Spacing, o.MaxConcurrentSyncs, o.StartClaimPatience, o.StartClaimTimeout, MaxDispatchesPerTick));
        foreach (var dispatch in plan.Unclaimed)
        {
            LogClaimTimedOut(dispatch.UserId);
        }
        _queueWrites.Upsert(plan.Requeued);
        if (plan.WakeAt is { } wakeAt)
        {
            _timer.WakeAt(wakeAt, now);
        }
        if (plan.Dispatches.Count == 0)
        {
            if (_queue.Count == 0 && _batches.CompleteIfIdle(now, _gate.IsIdle) is { } batch)
            {
                LogBatchCompleted(Math.Round((batch.CompletedAt - batch.StartedAt).TotalSeconds, 1), batch.Users, batch.Tracks, batch.Failures);
            }
            return;
        }
        if (_batches.Start(now))
        {
            LogBatchStarting(_queue.Count + plan.Dispatches.Count);
        }
        foreach (var dispatch in plan.Dispatches)
        {
            // One-way: returns as soon as the message is sent; the grain claims its start, then reports its outcome.
            await GrainFactory.GetGrain<IUserSyncGrain>(dispatch.UserId).RunSyncAsync(dispatch.Trigger, dispatch.DispatchId, dispatch.SyncId);
        }
        // Their sync_queue rows stay until the outcome: if this activation is lost meanwhile (its silo dies, or the
        // silo that held its directory entry does), the next one dispatches them again rather than never.
    }

    private DateTimeOffset EstimatedStart(int position, DateTimeOffset now) => _gate.EstimatedStart(position, now, Spacing, _pause.Until, _pace.Interval(now));

    private TimeSpan Spacing => options.CurrentValue.SpacingBetweenUsers;
}
