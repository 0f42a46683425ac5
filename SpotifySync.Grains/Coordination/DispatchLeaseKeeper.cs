using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Keeps one coordinator activation's <see cref="DispatchLease"/> renewed in PostgreSQL. Renewals run off the grain's
/// turns (the dispatch path never waits on the database); their results are applied on the next turn that asks
/// <see cref="MayDispatch"/>. Only the coordinator's turns call it.
/// </summary>
public sealed partial class DispatchLeaseKeeper(
    CoordinatorLeaseStore store, string holder, TimeSpan duration, TimeProvider time, ILogger logger)
{
    private readonly DispatchLease _lease = new(duration);
    private Task<LeaseAttempt>? _attempt;
    private DateTimeOffset _lastCheck = DateTimeOffset.MinValue;
    private bool _renewalFailing;

    public string Holder { get; } = holder;

    public DateTimeOffset ValidUntil => _lease.ValidUntil;

    /// <summary>The first attempt, awaited when the coordinator activates so that it can dispatch at once.</summary>
    public async Task TakeAsync(CancellationToken cancellationToken)
    {
        Apply(await AttemptAsync(cancellationToken), time.GetUtcNow());
    }

    /// <summary>Whether this activation may dispatch now; also applies the last renewal and starts the next when due.</summary>
    public bool MayDispatch(DateTimeOffset now)
    {
        if (_attempt is { IsCompleted: true } done)
        {
            _attempt = null;
            Apply(done.Result, now);
        }
        if (_attempt is null && _lease.AttemptDue(now))
        {
            _attempt = Task.Run(() => AttemptAsync(CancellationToken.None));
        }
        if (_lease.LapsedBetween(_lastCheck, now))
        {
            LogLapsed(Holder);
        }
        _lastCheck = now;
        return _lease.Holds(now);
    }

    /// <summary>Gives the lease up so that the next activation need not wait for it to expire (best effort).</summary>
    public async Task ReleaseAsync(TimeSpan timeout)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await store.ReleaseAsync(Holder, cancel.Token);
        }
        catch (Exception e)
        {
            LogReleaseFailed(e);
        }
    }

    private async Task<LeaseAttempt> AttemptAsync(CancellationToken cancellationToken)
    {
        var askedAt = time.GetUtcNow();
        try
        {
            // An attempt must end well within the lease, or its answer would be stale when it comes.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_lease.Margin);
            var taken = await store.TryTakeAsync(Holder, _lease.Duration, timeout.Token);
            return new LeaseAttempt(askedAt, taken is not null, null);
        }
        catch (Exception e)
        {
            return new LeaseAttempt(askedAt, false, e);
        }
    }

    private void Apply(LeaseAttempt attempt, DateTimeOffset now)
    {
        if (attempt.Failure is { } failure)
        {
            _lease.Failed(now);
            if (!_renewalFailing && _lease.Holds(now))
            {
                LogRenewalFailed(failure, _lease.ValidUntil);
            }
            _renewalFailing = true;
            return;
        }
        _renewalFailing = false;
        var change = attempt.Taken ? _lease.Taken(attempt.AskedAt, now) : _lease.Refused(now);
        switch (change)
        {
            case LeaseChange.Acquired:
                LogAcquired(Holder, _lease.ValidUntil);
                break;
            case LeaseChange.Lost:
                LogLost(Holder);
                break;
            case LeaseChange.HeldElsewhere:
                LogHeldElsewhere(Holder);
                break;
        }
    }

    private sealed record LeaseAttempt(DateTimeOffset AskedAt, bool Taken, Exception? Failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator {Holder} holds the dispatch lease (renewed until {ValidUntil} at the latest)")]
    private partial void LogAcquired(string holder, DateTimeOffset validUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coordinator {Holder}: another activation holds the dispatch lease in coordinator_lease; this one does not dispatch until it expires or is released")]
    private partial void LogHeldElsewhere(string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coordinator {Holder} lost the dispatch lease to another activation; dispatch stops here")]
    private partial void LogLost(string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the dispatch lease; dispatch goes on until {ValidUntil}, then stops until PostgreSQL answers")]
    private partial void LogRenewalFailed(Exception e, DateTimeOffset validUntil);

    [LoggerMessage(Level = LogLevel.Error, Message = "Coordinator {Holder}: the dispatch lease ran out without a renewal (PostgreSQL unreachable?); dispatch stops until it is renewed")]
    private partial void LogLapsed(string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the dispatch lease; the next coordinator activation waits for it to expire")]
    private partial void LogReleaseFailed(Exception e);
}
