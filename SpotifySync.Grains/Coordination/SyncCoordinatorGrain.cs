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
    private DispatchPauseWriteBehind _pauseWrites = null!;
    /// <summary>At most this many dispatches per timer tick, so that one turn stays short whatever the queue holds.</summary>
    private const int MaxDispatchesPerTick = 512;

    private readonly DispatchGate _gate = new();
    private readonly DispatchPause _pause = new();
    private DispatchLeaseKeeper _lease = null!;
    private ExpiringUsersWatch _expiring = null!;
    private InvalidGrantStormWatch _storm = null!;
    private readonly SyncBatches _batches = new();
    private IGrainTimer? _timer;
    private TimeSpan _tick;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _queueWrites = new SyncQueueWriteBehind(queueStore, BestEffortStoreTimeout, logger);
        _pauseWrites = new DispatchPauseWriteBehind(pauseStore, BestEffortStoreTimeout, logger);
        _lease = new DispatchLeaseKeeper(
            leaseStore, $"{RuntimeIdentity}/{Guid.NewGuid():N}", options.CurrentValue.CoordinatorLease, time, logger);
        await _lease.TakeAsync(cancellationToken);
        _expiring = new ExpiringUsersWatch(users, BestEffortStoreTimeout, time, logger);
        await _expiring.RefreshNowAsync();
        _queue.Load(await queueStore.LoadAsync(cancellationToken));
        var storedPause = await pauseStore.LoadAsync(cancellationToken);
        if (storedPause is not null)
        {
            _pause.Restore(storedPause, time.GetUtcNow());
        }
        _storm = new InvalidGrantStormWatch(GrainFactory, stormOptions, logger);
        _storm.Restore(await users.ListQuarantinedUserIdsAsync(cancellationToken), storedPause);
        _tick = DispatchRound.TickFor(options.CurrentValue.SpacingBetweenUsers);
        _timer = this.RegisterGrainTimer(DispatchNextAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = _tick,
            KeepAlive = true,
        });
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
        var changed = new List<SyncQueueEntry>();
        foreach (var userId in userIds)
        {
            var (_, entry) = _queue.Add(userId, trigger, now);
            if (entry is not null)
            {
                changed.Add(entry);
            }
        }
        _queueWrites.Upsert(changed);
        return new SyncAllResult(userIds.Count, changed.Count, _queue.Count, EstimatedStart(_queue.Count, now) + Spacing);
    }

    public Task<bool> ClaimStartAsync(string userId, long dispatchId, SyncTrigger trigger, Guid syncId, SiloAddress runningOn)
    {
        var now = time.GetUtcNow();
        var (result, dispatch) = _gate.Claim(userId, dispatchId, now, Spacing, runningOn.ToParsableString());
        switch (result)
        {
            case ClaimResult.Granted:
                metrics.Dispatched(dispatch!.Trigger.Priority());
                return Task.FromResult(true);
            case ClaimResult.Unknown when _queue.Find(userId) is null:
                // Dispatched by an activation that is gone (its silo died after the entry left sync_queue): the
                // user must not vanish from the queue because its dispatch outlived the dispatcher.
                LogRequeuedUnknownDispatch(userId);
                _queueWrites.Upsert([_queue.PutInFront(userId, trigger, syncId, now)]);
                return Task.FromResult(false);
            default:
                return Task.FromResult(false);
        }
    }

    public async Task ReportAsync(SyncOutcome outcome)
    {
        Record(outcome);
        if (Spacing == TimeSpan.Zero)
        {
            // The slot this sync held goes out at once, not at the next tick: at spacing 0 the tick would set the pace.
            await DispatchAsync();
        }
    }

    private void Record(SyncOutcome outcome)
    {
        var now = time.GetUtcNow();
        var (trigger, syncId) = _gate.Finish(outcome.UserId) is { } finished
            ? (finished.Trigger, finished.SyncId)
            : (SyncTrigger.Scheduled, Guid.CreateVersion7(now));
        var o = options.CurrentValue;
        switch (outcome.Kind)
        {
            case SyncOutcomeKind.Succeeded:
                _pause.Succeeded();
                _batches.Add(outcome);
                return;
            // Throttled and credential-rejected users go back in front: they count in the batch when they really run.
            case SyncOutcomeKind.Throttled or SyncOutcomeKind.QuotaExceeded:
                Pause(outcome.UserId, outcome.RetryAfter, outcome.Kind == SyncOutcomeKind.QuotaExceeded, now);
                PersistPauseAndRequeue(outcome.UserId, trigger, syncId, now);
                return;
            case SyncOutcomeKind.RefreshDeferred:
                // Dispatched before the storm was detected: the user waits in front for the pause to end.
                _queueWrites.Upsert([_queue.PutInFront(outcome.UserId, trigger, syncId, now)]);
                return;
            case SyncOutcomeKind.AppCredentialsRejected:
                LogCredentialsRejected(_pause.CredentialsRejected(now, o).TotalSeconds);
                PersistPauseAndRequeue(outcome.UserId, trigger, syncId, now);
                return;
            default:
                _batches.Add(outcome);
                return;
        }
    }

    public Task ReportThrottledAsync(string userId, TimeSpan? retryAfter, bool quotaExceeded)
    {
        Pause(userId, retryAfter, quotaExceeded, time.GetUtcNow());
        if (_pause.ToStored() is { } pause)
        {
            _pauseWrites.Save(pause);
        }
        return Task.CompletedTask;
    }

    private void Pause(string userId, TimeSpan? retryAfter, bool quotaExceeded, DateTimeOffset now)
    {
        var (wait, kind, newQuotaEpisode) = _pause.Throttled(userId, retryAfter, quotaExceeded, now, options.CurrentValue);
        if (newQuotaEpisode)
        {
            LogQuotaExceeded(userId, wait.TotalSeconds, now + wait);
        }
        else if (kind == DispatchPauseKind.RateLimited)
        {
            LogPaused(userId, wait.TotalSeconds, now + wait);
        }
    }

    /// <summary>The user Spotify refused goes back in front; the pause is stored so that a failover keeps it.</summary>
    private void PersistPauseAndRequeue(string userId, SyncTrigger trigger, Guid syncId, DateTimeOffset now)
    {
        _queueWrites.Upsert([_queue.PutInFront(userId, trigger, syncId, now)]);
        if (_pause.ToStored() is { } pause)
        {
            _pauseWrites.Save(pause);
        }
    }

    public Task<bool> MayRefreshAsync(string userId) => Task.FromResult(_storm.MayRefresh(time.GetUtcNow()));

    public Task RefreshRefusedAsync(string userId)
    {
        if (_storm.Refused(userId, time.GetUtcNow()) is { } storm)
        {
            _pause.InvalidGrantStorm(storm.Until, storm.Reason);
            _pauseWrites.Save(_pause.ToStored()!);
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
        return new CoordinatorStatus
        {
            QueueLength = _queue.Count,
            ManualQueued = _queue.ManualCount,
            ScheduledQueued = _queue.ScheduledCount,
            InFlight = _gate.Running + _gate.Pending,
            PausedUntil = paused ? _pause.Until : null,
            PauseReason = paused ? _pause.Reason : null,
            PauseKind = paused ? _pause.Kind : null,
            CallBudget = budget,
            DispatchLeaseUntil = _lease.MayDispatch(now) ? _lease.ValidUntil : null,
            SpacingBetweenUsers = spacing,
            UsersPerHour = spacing > TimeSpan.Zero ? Math.Floor(TimeSpan.FromHours(1) / spacing) : double.PositiveInfinity,
            BatchStartedAt = _batches.StartedAt,
            EstimatedQueueDrainedAt = _queue.Count > 0 ? EstimatedStart(_queue.Count, now) + spacing : null,
            LastBatch = _batches.Last,
            ExpiringSoon = _expiring.Users,
            DatabaseReachable = _expiring.DatabaseReachable,
            InvalidGrantStorm = _storm.Status(now),
        };
    }

    public Task<int?> GetPositionAsync(string userId) =>
        Task.FromResult(_queue.PositionOf(userId) ?? (_gate.Holds(userId) ? 0 : (int?)null));

    public Task EnsureRunningAsync() => Task.CompletedTask;

    public Task<int> ForgetSyncsOnAsync(IReadOnlyList<SiloAddress> deadSilos)
    {
        var now = time.GetUtcNow();
        var requeued = new List<SyncQueueEntry>();
        foreach (var lost in _gate.TakeRunningOn(deadSilos.Select(s => s.ToParsableString()).ToHashSet(StringComparer.Ordinal)))
        {
            LogSyncOnDeadSilo(lost.UserId, lost.RunningOn!);
            if (_queue.Find(lost.UserId) is null)
            {
                requeued.Add(_queue.PutInFront(lost.UserId, lost.Trigger, lost.SyncId, now));
            }
        }
        _queueWrites.Upsert(requeued);
        return Task.FromResult(requeued.Count);
    }

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
        AdoptSpacing(Spacing);
        ForgetLostSyncs(now);
        _expiring.Tick(now);

        await _storm.EraseDueAsync(now);
        // Asked on every tick, paused or not, so that the lease stays renewed.
        if (!_lease.MayDispatch(now) || _pause.IsPaused(now))
        {
            return;
        }
        // A retry of a quarantined user calls Spotify: only while dispatching.
        await _storm.RetryNextAsync(now);
        if (_pause.Ended(now))
        {
            LogResumedAfterPause();
        }
        var o = options.CurrentValue;
        var plan = DispatchRound.Plan(_queue, _gate, now, Spacing, o.MaxConcurrentSyncs, o.StartClaimTimeout, MaxDispatchesPerTick);
        foreach (var dispatch in plan.Unclaimed)
        {
            LogClaimTimedOut(dispatch.UserId);
        }
        _queueWrites.Upsert(plan.Requeued);
        if (plan.WakeAt is { } wakeAt)
        {
            _timer?.Change(wakeAt - now, _tick);
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
        _queueWrites.Delete(plan.Dispatches.Select(d => d.UserId));
    }

    private void ForgetLostSyncs(DateTimeOffset now)
    {
        foreach (var lost in _gate.TakeLost(now, options.CurrentValue.InFlightTimeout))
        {
            LogLostSync(lost.UserId, lost.StartedAt);
        }
    }

    private void AdoptSpacing(TimeSpan spacing)
    {
        var tick = DispatchRound.TickFor(spacing);
        if (tick != _tick)
        {
            _tick = tick;
            _timer?.Change(tick, tick);
        }
    }

    private DateTimeOffset EstimatedStart(int position, DateTimeOffset now) => _gate.EstimatedStart(position, now, Spacing, _pause.Until);

    private TimeSpan Spacing => options.CurrentValue.SpacingBetweenUsers;

}
