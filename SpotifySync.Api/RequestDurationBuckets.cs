using OpenTelemetry.Metrics;

namespace SpotifySync.Api;

/// <summary>
/// Bucket bounds of <c>http.server.request.duration</c> on <c>/metrics</c>. ASP.NET Core's advice jumps from 10 to
/// 25 ms, so the 20 ms an app's "Sync Data" button is promised could not be read from the histogram: these bounds are
/// finer below 50 ms, where the API's answers live, and keep the advice's coarse tail for slow ones.
/// </summary>
public static class RequestDurationBuckets
{
    public const string InstrumentName = "http.server.request.duration";

    public static readonly double[] Seconds =
    [
        0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025, 0.03, 0.04, 0.05,
        0.075, 0.1, 0.15, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ];

    public static MeterProviderBuilder AddRequestDurationBuckets(this MeterProviderBuilder metrics) =>
        metrics.AddView(InstrumentName, new ExplicitBucketHistogramConfiguration { Boundaries = Seconds });
}
