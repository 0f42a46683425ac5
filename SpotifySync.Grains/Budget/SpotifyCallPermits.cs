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

    public Task ReportRateLimitedAsync() => Enabled ? Budget.ReportRateLimitedAsync() : Task.CompletedTask;
}
