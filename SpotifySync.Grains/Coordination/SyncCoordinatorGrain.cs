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
    TimeProvider time,
    SyncMetrics metrics,
    ILogger<SyncCoordinatorGrain> logger)
    : Grain, ISyncCoordinatorGrain
{
    /// <summary>Upper bound for the timer period, so an idle coordinator notices new work (and pauses ending) promptly.</summary>
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(10);

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
    private readonly DispatchPause _pause = new();
    private DispatchLeaseKeeper _lease = null!;
    private SyncBatchTally? _batch;
    private SyncBatchSummary? _lastBatch;
    private IGrainTimer? _timer;
    private TimeSpan _tick;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _queueWrites = new SyncQueueWriteBehind(queueStore, BestEffortStoreTimeout, logger);
        _lease = new DispatchLeaseKeeper(
            leaseStore, $"{RuntimeIdentity}/{Guid.NewGuid():N}", options.CurrentValue.CoordinatorLease, time, logger);
        await _lease.TakeAsync(cancellationToken);
        _queue.Load(await queueStore.LoadAsync(cancellationToken));
        if (await pauseStore.LoadAsync(cancellationToken) is { } stored)
        {
            _pause.Restore(stored, time.GetUtcNow());
        }
        _tick = TickFor(options.CurrentValue.SpacingBetweenUsers);
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
        var userIds = await users.ListActiveUserIdsAsync(CancellationToken.None);
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

    public Task<bool> ClaimStartAsync(string userId, long dispatchId, SyncTrigger trigger, Guid syncId)
    {
        var now = time.GetUtcNow();
        var (result, dispatch) = _gate.Claim(userId, dispatchId, now, Spacing);
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

    public Task ReportAsync(SyncOutcome outcome)
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
                _batch?.Add(outcome);
                return Task.CompletedTask;
            // Throttled and credential-rejected users go back in front: they count in the batch when they really run.
            case SyncOutcomeKind.Throttled or SyncOutcomeKind.QuotaExceeded:
                var (wait, kind, newQuotaEpisode) = _pause.Throttled(
                    outcome.UserId, outcome.RetryAfter, outcome.Kind == SyncOutcomeKind.QuotaExceeded, now, o);
                if (newQuotaEpisode)
                {
                    LogQuotaExceeded(outcome.UserId, wait.TotalSeconds, now + wait);
                }
                else if (kind == DispatchPauseKind.RateLimited)
                {
                    LogPaused(outcome.UserId, wait.TotalSeconds, now + wait);
                }
                return PersistPauseAndRequeueAsync(outcome.UserId, trigger, syncId, now);
            case SyncOutcomeKind.AppCredentialsRejected:
                LogCredentialsRejected(_pause.CredentialsRejected(now, o).TotalSeconds);
                return PersistPauseAndRequeueAsync(outcome.UserId, trigger, syncId, now);
            default:
                _batch?.Add(outcome);
                return Task.CompletedTask;
        }
    }

    /// <summary>The user Spotify refused goes back in front; the pause is stored so that a failover keeps it.</summary>
    private Task PersistPauseAndRequeueAsync(string userId, SyncTrigger trigger, Guid syncId, DateTimeOffset now)
    {
        _queueWrites.Upsert([_queue.PutInFront(userId, trigger, syncId, now)]);
        if (_pause.ToStored() is { } pause)
        {
            // Off this turn, like the queue's writes: the pause holds in memory whatever PostgreSQL does.
            _ = Task.Run(() => SavePauseAsync(pause));
        }
        return Task.CompletedTask;
    }

    private async Task SavePauseAsync(StoredPause pause)
    {
        try
        {
            using var timeout = new CancellationTokenSource(BestEffortStoreTimeout, time);
            await pauseStore.SaveAsync(pause, timeout.Token);
        }
        catch (Exception e)
        {
            // Only a failover during the outage would lose it.
            LogPauseWriteFailed(e);
        }
    }

    public async Task<CoordinatorStatus> GetStatusAsync()
    {
        var now = time.GetUtcNow();
        var spacing = Spacing;
        var paused = _pause.IsPaused(now);
        var expiring = await ExpiringSoonAsync(now);
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
            BatchStartedAt = _batch?.StartedAt,
            EstimatedQueueDrainedAt = _queue.Count > 0 ? EstimatedStart(_queue.Count, now) + spacing : null,
            LastBatch = _lastBatch,
            ExpiringSoon = expiring ?? [],
            DatabaseReachable = expiring is not null,
        };
    }

    /// <summary>Null when PostgreSQL does not answer (status must answer anyway).</summary>
    private async Task<IReadOnlyList<ExpiringUser>?> ExpiringSoonAsync(DateTimeOffset now)
    {
        try
        {
            using var timeout = new CancellationTokenSource(BestEffortStoreTimeout, time);
            var expiring = await users.ListExpiringAsync(now.AddDays(30), limit: 100, timeout.Token);
            return [.. expiring.Select(u => new ExpiringUser(u.UserId, u.ExpiresAt))];
        }
        catch (Exception e)
        {
            LogExpiringQueryFailed(e);
            return null;
        }
    }

    public Task<int?> GetPositionAsync(string userId) =>
        Task.FromResult(_queue.PositionOf(userId) ?? (_gate.Holds(userId) ? 0 : (int?)null));

    public Task EnsureRunningAsync() => Task.CompletedTask;

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

        // Asked on every tick, paused or not, so that the lease stays renewed.
        if (!_lease.MayDispatch(now) || _pause.IsPaused(now))
        {
            return;
        }
        if (_pause.Ended(now))
        {
            LogResumedAfterPause();
        }
        // Their grains are busy or their silos gone: give the slots away and keep the users first in line, but not
        // for this very round, or the slot would go straight back to the user that just failed to take it.
        var unclaimed = _gate.TakeUnclaimed(now, options.CurrentValue.StartClaimTimeout);
        if (unclaimed.Count > 0)
        {
            foreach (var dispatch in unclaimed)
            {
                LogClaimTimedOut(dispatch.UserId);
            }
            _queueWrites.Upsert([.. unclaimed.Select(d => _queue.PutInFront(d.UserId, d.Trigger, d.SyncId, now))]);
        }
        if (_queue.Count == 0)
        {
            CompleteBatchIfDone(now);
            return;
        }
        var spacing = Spacing;
        var room = Math.Min(_gate.Room(now, spacing, options.CurrentValue.MaxConcurrentSyncs), MaxDispatchesPerTick);
        if (room == 0)
        {
            if (spacing > TimeSpan.Zero && _gate.Pending == 0 && now < _gate.NextStartAllowed)
            {
                // Come back exactly when the gap is kept rather than a whole tick later.
                _timer?.Change(_gate.NextStartAllowed - now, _tick);
            }
            return;
        }

        var skip = unclaimed.Select(d => d.UserId).ToHashSet(StringComparer.Ordinal);
        var dispatched = new List<string>(room);
        // A user whose previous sync still runs waits in line; the next one goes first.
        while (dispatched.Count < room && _queue.DequeueFirst(userId => !_gate.Holds(userId) && !skip.Contains(userId)) is { } entry)
        {
            if (_batch is null)
            {
                _batch = new SyncBatchTally(now);
                LogBatchStarting(_queue.Count + 1);
            }
            var dispatch = _gate.Dispatch(entry, now);
            // One-way: returns as soon as the message is sent; the grain claims its start, then reports its outcome.
            await GrainFactory.GetGrain<IUserSyncGrain>(entry.UserId).RunSyncAsync(entry.Trigger, dispatch.DispatchId, entry.SyncId);
            dispatched.Add(entry.UserId);
        }
        _queueWrites.Delete(dispatched);
    }

    private void CompleteBatchIfDone(DateTimeOffset now)
    {
        if (_batch is null || !_gate.IsIdle)
        {
            return;
        }
        _lastBatch = _batch.Complete(now);
        _batch = null;
        LogBatchCompleted(Math.Round((_lastBatch.CompletedAt - _lastBatch.StartedAt).TotalSeconds, 1), _lastBatch.Users, _lastBatch.Tracks, _lastBatch.Failures);
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
        var tick = TickFor(spacing);
        if (tick != _tick)
        {
            _tick = tick;
            _timer?.Change(tick, tick);
        }
    }

    private DateTimeOffset EstimatedStart(int position, DateTimeOffset now)
    {
        var spacing = Spacing;
        var next = _gate.NextStartAllowed;
        if (next < now)
        {
            next = now;
        }
        if (_pause.Until is { } until && until > next)
        {
            next = until;
        }
        return next + spacing * Math.Max(position - 1, 0);
    }

    private TimeSpan Spacing => options.CurrentValue.SpacingBetweenUsers;

    private static TimeSpan TickFor(TimeSpan spacing) =>
        spacing < MinTick ? MinTick : spacing > MaxTick ? MaxTick : spacing;

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting sync batch: {UsersQueued} users queued")]
    private partial void LogBatchStarting(int usersQueued);

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Count} users with Spotify connected")]
    private partial void LogUsersFound(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync batch completed in {Seconds}s: {Users} users, {Tracks} tracks, {Failures} failures")]
    private partial void LogBatchCompleted(double seconds, int users, int tracks, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify throttled user {UserId}: all dispatch paused for {Seconds}s, until {Until}")]
    private partial void LogPaused(string userId, double seconds, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spotify quota exhausted (429 for user {UserId}: QUOTA_EXCEEDED or a Retry-After beyond Sync:Interval): all dispatch paused for {Seconds}s, until {Until}; it resumes by itself")]
    private partial void LogQuotaExceeded(string userId, double seconds, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spotify rejected the app credentials (invalid_client): all dispatch paused for {Seconds}s; check Spotify:ClientId and Spotify:ClientSecret")]
    private partial void LogCredentialsRejected(double seconds);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the dispatch pause in coordinator_pause; it holds in memory")]
    private partial void LogPauseWriteFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list users whose refresh token expires soon")]
    private partial void LogExpiringQueryFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pause over: dispatch resumes")]
    private partial void LogResumedAfterPause();

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator activated with {Count} users still queued")]
    private partial void LogResumed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: sync started at {StartedAt} never reported back; forgotten")]
    private partial void LogLostSync(string userId, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: did not claim its dispatched sync in time; queued again at the front")]
    private partial void LogClaimTimedOut(string userId);


    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: claimed a dispatch this coordinator never made (it moved silos); queued again at the front")]
    private partial void LogRequeuedUnknownDispatch(string userId);
}
