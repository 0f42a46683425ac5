using System.Net;
using Polly;
using Polly.Timeout;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.UnitTests;

public sealed class SpotifyHttpResilienceTests
{
    private static Outcome<HttpResponseMessage> Answer(HttpStatusCode status) => Outcome.FromResult(new HttpResponseMessage(status));

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void Web_api_calls_retry_5xx_but_never_a_429(HttpStatusCode status, bool retried)
    {
        Assert.Equal(retried, SpotifyHttpResilience.ShouldRetry(Answer(status), idempotent: true));
    }

    [Fact]
    public void A_token_refresh_is_not_repeated_after_an_ambiguous_500_or_timeout_which_may_have_rotated_the_token()
    {
        Assert.False(SpotifyHttpResilience.ShouldRetry(Answer(HttpStatusCode.InternalServerError), idempotent: false));
        Assert.False(SpotifyHttpResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), idempotent: false));
        Assert.True(SpotifyHttpResilience.ShouldRetry(Answer(HttpStatusCode.ServiceUnavailable), idempotent: false));
        Assert.True(SpotifyHttpResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused")), idempotent: false));
    }

    [Fact]
    public void Timeouts_of_reads_are_retried()
    {
        Assert.True(SpotifyHttpResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), idempotent: true));
    }

    [Fact]
    public void The_total_timeout_covers_every_attempt_and_backoff()
    {
        var options = new SpotifyOptions { RequestTimeout = TimeSpan.FromSeconds(10), MaxRetries = 3, RetryBaseDelay = TimeSpan.FromSeconds(1) };

        Assert.True(SpotifyHttpResilience.TotalTimeout(options) > TimeSpan.FromSeconds(40 + 7));
    }
}
