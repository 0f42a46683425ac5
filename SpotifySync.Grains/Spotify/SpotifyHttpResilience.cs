using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Spotify;

/// <summary>
/// Timeouts and retries for calls to Spotify: 5xx answers and timeouts are retried a bounded number of
/// times with exponential backoff and jitter. A 429 is never retried here: throttling is per app, so the
/// coordinator pauses the whole cluster for its Retry-After instead.
/// </summary>
public static class SpotifyHttpResilience
{
    /// <param name="idempotent">
    /// False for the token endpoint: a refresh that timed out or failed with a 500 may have rotated the refresh
    /// token at Spotify, and repeating it with the old one would earn an <c>invalid_grant</c>. Only answers that
    /// say the request never reached Spotify's servers (502, 503, 504, no connection) are retried there.
    /// </param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, SpotifyOptions options, bool idempotent)
    {
        pipeline.AddTimeout(TotalTimeout(options));
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, idempotent)),
        });
        pipeline.AddTimeout(options.RequestTimeout);
    }

    /// <summary>Every attempt at its timeout plus the longest backoffs: the bound of one logical call.</summary>
    public static TimeSpan TotalTimeout(SpotifyOptions options)
    {
        var attempts = options.MaxRetries + 1;
        var backoff = TimeSpan.Zero;
        for (var retry = 0; retry < options.MaxRetries; retry++)
        {
            backoff += options.RetryBaseDelay * Math.Pow(2, retry) * 1.5;
        }
        return options.RequestTimeout * attempts + backoff + TimeSpan.FromSeconds(1);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, bool idempotent)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception switch
            {
                // No connection at all: the request cannot have been processed.
                HttpRequestException { StatusCode: null } => true,
                TimeoutRejectedException => idempotent,
                _ => false,
            };
        }
        return outcome.Result?.StatusCode switch
        {
            HttpStatusCode.InternalServerError => idempotent,
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,
            _ => false,
        };
    }
}
