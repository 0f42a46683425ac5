using SpotifySync.Benchmarks.Scale;

namespace SpotifySync.UnitTests;

/// <summary>The scale benchmark reads the API's own latency from its /metrics; the reading must be right first.</summary>
public sealed class RequestDurationHistogramTests
{
    private static string Exposition(int fast, int medium, int slow) => string.Join('\n',
        "# TYPE http_server_request_duration_seconds histogram",
        Bucket("POST", "/api/users/{userId}/sync", "202", "0.005", fast),
        Bucket("POST", "/api/users/{userId}/sync", "202", "0.02", fast + medium),
        Bucket("POST", "/api/users/{userId}/sync", "202", "+Inf", fast + medium + slow),
        Bucket("POST", "/api/users/{userId}/sync", "200", "0.005", 1),
        Bucket("POST", "/api/users/{userId}/sync", "200", "0.02", 1),
        Bucket("POST", "/api/users/{userId}/sync", "200", "+Inf", 1),
        Bucket("PUT", "/api/users/{userId}/spotify", "200", "0.005", 1000),
        Bucket("PUT", "/api/users/{userId}/spotify", "200", "0.02", 1000),
        Bucket("PUT", "/api/users/{userId}/spotify", "200", "+Inf", 1000),
        "http_server_request_duration_seconds_count{http_request_method=\"POST\",http_route=\"/api/users/{userId}/sync\"} 5");

    private static string Bucket(string method, string route, string status, string le, int count) =>
        $"http_server_request_duration_seconds_bucket{{http_request_method=\"{method}\",http_response_status_code=\"{status}\",http_route=\"{route}\",le=\"{le}\"}} {count} 1764590000000";

    private static RequestDurationHistogram Read(string exposition) =>
        RequestDurationHistogram.Parse(exposition, "POST", "/api/users/{userId}/sync");

    [Fact]
    public void One_routes_buckets_are_summed_over_status_codes_and_nothing_else()
    {
        var histogram = Read(Exposition(fast: 10, medium: 5, slow: 2));

        Assert.Equal([(0.005, 11.0), (0.02, 16.0), (double.PositiveInfinity, 18.0)], histogram.Buckets);
        Assert.Equal(18, histogram.Count);
    }

    [Fact]
    public void A_window_is_the_difference_of_two_readings_and_its_quantiles_are_bucket_bounds()
    {
        var window = Read(Exposition(fast: 1_010, medium: 5, slow: 0)).Since(Read(Exposition(fast: 10, medium: 5, slow: 0)));

        Assert.Equal(1_000, window.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(5), window.QuantileAtMost(0.99));
    }

    [Fact]
    public void A_quantile_beyond_the_last_finite_bound_is_not_given_a_number()
    {
        var window = Read(Exposition(fast: 80, medium: 10, slow: 10));

        Assert.Equal(TimeSpan.FromMilliseconds(20), window.QuantileAtMost(0.90));
        Assert.Null(window.QuantileAtMost(0.99));
        Assert.Null(Read("").QuantileAtMost(0.99));
    }
}
