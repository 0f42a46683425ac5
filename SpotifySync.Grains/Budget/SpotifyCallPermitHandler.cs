using System.Net;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Budget;

/// <summary>
/// Sits inside the resilience pipeline of both Spotify clients, so that every attempt, retries included, takes a
/// permit before it leaves, and every 429 that is a rate limit (not an exhausted quota) lowers the budget.
/// </summary>
public sealed class SpotifyCallPermitHandler(SpotifyCallPermits permits, IOptionsMonitor<SyncOptions> syncOptions, TimeProvider time)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await permits.ForAttemptAsync(request, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && permits.Enabled)
        {
            var options = syncOptions.CurrentValue;
            var now = time.GetUtcNow();
            var quota = await SpotifyErrorReader.IsQuotaExhaustedAsync(response, options.Interval, now, cancellationToken);
            // Without a usable Retry-After, hold permits for the default pause the coordinator starts from.
            var retryAfter = SpotifyErrorReader.RetryAfterOf(response.Headers, now) ?? options.DefaultRetryAfter;
            await permits.ReportThrottledAsync(retryAfter, quota);
        }
        return response;
    }
}
