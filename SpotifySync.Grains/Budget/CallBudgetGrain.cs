using Microsoft.Extensions.Options;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Budget;

/// <summary>
/// Holds the cluster's one <see cref="CallBudget"/>. Nothing here waits: a permit is granted or the caller is told
/// when to ask again. The budget lives in memory: after a failover the new activation starts with no permits saved
/// up and paces from there, so the two activations together do not send a burst.
/// </summary>
public sealed class CallBudgetGrain(IOptionsMonitor<SpotifyOptions> options, TimeProvider time, CallBudgetGauges gauges)
    : Grain, ICallBudgetGrain
{
    private CallBudget _budget = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _budget = new CallBudget(options.CurrentValue.CallsPer30Seconds, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<CallPermitGrant> TakeAsync(int wanted)
    {
        var now = time.GetUtcNow();
        var (granted, retryAt) = Budget(now).Take(wanted, now);
        gauges.Update(Status(now));
        return Task.FromResult(new CallPermitGrant(granted, retryAt - now));
    }

    public Task ReportThrottledAsync(TimeSpan retryAfter, bool quotaExceeded)
    {
        var now = time.GetUtcNow();
        Budget(now).Throttled(now, retryAfter, quotaExceeded);
        gauges.Update(Status(now));
        return Task.CompletedTask;
    }

    public Task<CallBudgetStatus> GetStatusAsync() => Task.FromResult(Status(time.GetUtcNow()));

    /// <summary>A changed <c>Spotify:CallsPer30Seconds</c> takes effect at once.</summary>
    private CallBudget Budget(DateTimeOffset now)
    {
        if (_budget.Configured != options.CurrentValue.CallsPer30Seconds)
        {
            _budget = new CallBudget(options.CurrentValue.CallsPer30Seconds, now);
        }
        return _budget;
    }

    private CallBudgetStatus Status(DateTimeOffset now) =>
        new(_budget.Configured, Math.Round(_budget.Effective, 1), _budget.SentInLast30Seconds(now));
}
