using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Budget;

/// <summary>
/// A silo's door to the cluster-wide call budget. Without a budget (<c>Spotify:CallsPer30Seconds</c> = 0) it costs
/// nothing; with one, each Spotify request asks <see cref="ICallBudgetGrain"/> for a permit and, when refused,
/// waits here (never in the grain) until the budget says a permit is due.
/// </summary>
public sealed class SpotifyCallPermits(IGrainFactory grains, IOptionsMonitor<SpotifyOptions> options, TimeProvider time)
{
    private ICallBudgetGrain Budget => grains.GetGrain<ICallBudgetGrain>(CallBudgetKey.Value);

    public bool Enabled => options.CurrentValue.CallsPer30Seconds > 0;

    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }
        while (true)
        {
            var grant = await Budget.TakeAsync(1);
            if (grant.Granted > 0)
            {
                return;
            }
            await Task.Delay(grant.RetryAfter > TimeSpan.Zero ? grant.RetryAfter : TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }

    /// <summary>
    /// A permit, waiting at most <paramref name="maxWait"/> for it: when the budget says the next one is due later,
    /// gives up at once with <see cref="NoCallPermitSoonException"/> (for callers that must answer quickly).
    /// </summary>
    public async ValueTask AcquireWithinAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }
        var giveUpAt = time.GetUtcNow() + maxWait;
        while (true)
        {
            var grant = await Budget.TakeAsync(1);
            if (grant.Granted > 0)
            {
                return;
            }
            var wait = grant.RetryAfter > TimeSpan.Zero ? grant.RetryAfter : TimeSpan.FromMilliseconds(1);
            if (time.GetUtcNow() + wait > giveUpAt)
            {
                throw new NoCallPermitSoonException(wait);
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    public Task ReportThrottledAsync(TimeSpan retryAfter, bool quotaExceeded) =>
        Enabled ? Budget.ReportThrottledAsync(retryAfter, quotaExceeded) : Task.CompletedTask;

    /// <summary>
    /// Takes the first attempt's permit before the request enters the HTTP pipeline, where every wait counts against
    /// Spotify's timeouts: a sync queued behind the budget must not time out for it. Retries take theirs inside.
    /// </summary>
    public async ValueTask PrepayAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await AcquireAsync(cancellationToken);
        // A reference shared by every copy the resilience pipeline makes of the request: only one attempt uses it.
        request.Options.Set(PrepaidKey, new PrepaidPermit());
    }

    /// <summary><see cref="PrepayAsync"/> for callers that wait at most <paramref name="maxWait"/> (<see cref="AcquireWithinAsync"/>).</summary>
    public async ValueTask PrepayWithinAsync(HttpRequestMessage request, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        await AcquireWithinAsync(maxWait, cancellationToken);
        request.Options.Set(PrepaidKey, new PrepaidPermit());
    }

    /// <summary>The permit of one attempt: the prepaid one for the first, a new one for each retry.</summary>
    public ValueTask ForAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(PrepaidKey, out var prepaid) && prepaid.TryUse())
        {
            return ValueTask.CompletedTask;
        }
        return AcquireAsync(cancellationToken);
    }

    private static readonly HttpRequestOptionsKey<PrepaidPermit> PrepaidKey = new("SpotifySync.PrepaidPermit");

    private sealed class PrepaidPermit
    {
        private int _used;

        public bool TryUse() => Interlocked.Exchange(ref _used, 1) == 0;
    }
}
