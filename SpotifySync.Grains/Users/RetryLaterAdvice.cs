using SpotifySync.Grains.Budget;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Users;

/// <summary>
/// A Spotify call made for the app (the token broker's refresh, a code exchange) that cannot be done now: how long the
/// app should wait before asking again, and why, in words for the 503's Retry-After and detail.
/// </summary>
public sealed record RetryLaterAdvice(TimeSpan RetryAfter, string Reason)
{
    /// <summary>Asked again sooner than this, the app would only meet the same answer.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    /// <summary>After a 5xx, a timeout or no connection: Spotify is usually back within seconds.</summary>
    public static readonly TimeSpan AfterSpotifyFailure = TimeSpan.FromSeconds(5);

    /// <summary>While a call of this user is still out at Spotify: its answer is stored within seconds.</summary>
    public static readonly TimeSpan WhileCallUnderWay = TimeSpan.FromSeconds(2);

    /// <summary>Null when the cluster is not paused at <paramref name="now"/>.</summary>
    public static RetryLaterAdvice? ForPause(DateTimeOffset? pausedUntil, DateTimeOffset now) =>
        pausedUntil is { } until && until > now
            ? Of(until - now, $"Spotify calls are paused until {until:O} (Spotify answered 429 or refused the app's credentials)")
            : null;

    /// <summary>Null for an exception that is not about waiting (the caller handles or rethrows it).</summary>
    public static RetryLaterAdvice? ForFailure(Exception e, SyncOptions options) => e switch
    {
        NoCallPermitSoonException permit => Of(permit.RetryAfter, "the Spotify call budget has no permit free soon"),
        SpotifyThrottledException throttled => Of(throttled.RetryAfter ?? options.DefaultRetryAfter, throttled.Message),
        SpotifyClientRejectedException => Of(options.CredentialsRejectedPause, "Spotify rejected the app credentials (invalid_client)"),
        RefreshDeferredException deferred => Of(AfterSpotifyFailure, deferred.Message),
        SpotifyRefreshTokenRejectedException or SpotifyAuthorizationCodeRejectedException => null,
        SpotifyException or TimeoutException or HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException => Of(AfterSpotifyFailure, $"Spotify did not answer as expected: {SyncErrors.Describe(e)}"),
        _ => null,
    };

    private static RetryLaterAdvice Of(TimeSpan retryAfter, string reason) => new(retryAfter < Shortest ? Shortest : retryAfter, reason);
}
