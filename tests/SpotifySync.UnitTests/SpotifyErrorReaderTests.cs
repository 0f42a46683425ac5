using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.UnitTests;

public sealed class SpotifyErrorReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_after_in_seconds_is_read_as_a_delay()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), SpotifyErrorReader.RetryAfterOf(response.Headers, Now));
    }

    [Fact]
    public void Retry_after_as_a_date_is_read_relative_to_now_and_never_negative()
    {
        using var later = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        later.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(30));
        using var past = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        past.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(-30));

        Assert.Equal(TimeSpan.FromSeconds(30), SpotifyErrorReader.RetryAfterOf(later.Headers, Now));
        Assert.Equal(TimeSpan.Zero, SpotifyErrorReader.RetryAfterOf(past.Headers, Now));
    }

    [Fact]
    public void A_missing_or_unparsable_retry_after_is_null_so_the_coordinator_uses_its_default()
    {
        using var missing = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        using var garbage = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        garbage.Headers.TryAddWithoutValidation("Retry-After", "soon");

        Assert.Null(SpotifyErrorReader.RetryAfterOf(missing.Headers, Now));
        Assert.Null(SpotifyErrorReader.RetryAfterOf(garbage.Headers, Now));
    }

    [Fact]
    public async Task An_edge_html_page_is_described_without_echoing_its_markup()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new StringContent("<html><body><h1>502 Bad Gateway</h1></body></html>", Encoding.UTF8, "text/html"),
        };

        var description = await SpotifyErrorReader.DescribeAsync(response, CancellationToken.None);

        Assert.StartsWith("HTTP 502 (non-JSON body", description);
        Assert.DoesNotContain("<html>", description);
    }

    [Fact]
    public async Task A_web_api_error_is_described_by_its_message()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized)
        {
            Content = new StringContent("""{"error":{"status":401,"message":"The access token expired"}}""", Encoding.UTF8, "application/json"),
        };

        Assert.Equal("HTTP 401: The access token expired", await SpotifyErrorReader.DescribeAsync(response, CancellationToken.None));
    }
}
