using System.Net;
using SpotifySync.Grains.Budget;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class RetryLaterAdviceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private static readonly SyncOptions Options = new();

    [Fact]
    public void A_paused_cluster_says_to_wait_until_the_pause_ends()
    {
        var advice = RetryLaterAdvice.ForPause(Now.AddSeconds(42), Now);

        Assert.Equal(TimeSpan.FromSeconds(42), advice?.RetryAfter);
    }

    [Fact]
    public void A_pause_that_ended_or_none_is_no_reason_to_wait()
    {
        Assert.Null(RetryLaterAdvice.ForPause(Now, Now));
        Assert.Null(RetryLaterAdvice.ForPause(Now.AddSeconds(-1), Now));
        Assert.Null(RetryLaterAdvice.ForPause(null, Now));
    }

    [Fact]
    public void A_429_says_its_retry_after_or_the_default_pause_without_one()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryLaterAdvice.ForFailure(new SpotifyThrottledException(TimeSpan.FromSeconds(7)), Options)?.RetryAfter);
        Assert.Equal(Options.DefaultRetryAfter, RetryLaterAdvice.ForFailure(new SpotifyThrottledException(null), Options)?.RetryAfter);
    }

    [Fact]
    public void No_budget_permit_soon_says_when_the_next_is_due_but_never_less_than_a_second()
    {
        Assert.Equal(TimeSpan.FromSeconds(12), RetryLaterAdvice.ForFailure(new NoCallPermitSoonException(TimeSpan.FromSeconds(12)), Options)?.RetryAfter);
        Assert.Equal(RetryLaterAdvice.Shortest, RetryLaterAdvice.ForFailure(new NoCallPermitSoonException(TimeSpan.FromMilliseconds(3)), Options)?.RetryAfter);
    }

    [Fact]
    public void Spotify_failing_or_slow_is_worth_another_try_soon()
    {
        Assert.Equal(RetryLaterAdvice.AfterSpotifyFailure,
            RetryLaterAdvice.ForFailure(new SpotifyException("token endpoint answered HTTP 502", HttpStatusCode.BadGateway), Options)?.RetryAfter);
        Assert.Equal(RetryLaterAdvice.AfterSpotifyFailure, RetryLaterAdvice.ForFailure(new TimeoutException("slow"), Options)?.RetryAfter);
    }

    [Fact]
    public void Refusals_of_the_user_or_the_code_are_not_about_waiting()
    {
        Assert.Null(RetryLaterAdvice.ForFailure(new SpotifyRefreshTokenRejectedException("revoked"), Options));
        Assert.Null(RetryLaterAdvice.ForFailure(new SpotifyAuthorizationCodeRejectedException("invalid_grant", "used"), Options));
        Assert.Null(RetryLaterAdvice.ForFailure(new InvalidOperationException(), Options));
    }
}
