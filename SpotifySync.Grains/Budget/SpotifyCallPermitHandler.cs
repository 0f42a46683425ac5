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
        await permits.AcquireAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && permits.Enabled
            && !await SpotifyErrorReader.IsQuotaExhaustedAsync(response, syncOptions.CurrentValue.Interval, time.GetUtcNow(), cancellationToken))
        {
            await permits.ReportRateLimitedAsync();
        }
        return response;
    }
}
