using System.Globalization;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// One route's <c>http.server.request.duration</c> histogram as the API exports it on <c>/metrics</c>: cumulative
/// counts per upper bound, summed over status codes. Two readings around a load window give the API's own view of
/// that window, free of the load generator's lateness (it shares the cores with everything else here).
/// </summary>
internal sealed record RequestDurationHistogram(IReadOnlyList<(double UpperBound, double Count)> Buckets)
{
    private const string BucketMetric = "http_server_request_duration_seconds_bucket{";

    public static RequestDurationHistogram Parse(string exposition, string method, string route)
    {
        var counts = new SortedDictionary<double, double>();
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(BucketMetric, StringComparison.Ordinal)
                || !line.Contains($"http_request_method=\"{method}\"", StringComparison.Ordinal)
                || !line.Contains($"http_route=\"{route}\"", StringComparison.Ordinal))
            {
                continue;
            }
            var le = Label(line, "le");
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            // The value follows the labels; an exporter may add a timestamp after it.
            var count = double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            counts[bound] = counts.GetValueOrDefault(bound) + count;
        }
        return new RequestDurationHistogram([.. counts.Select(c => (c.Key, c.Value))]);
    }

    public double Count => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    /// <summary>What happened between <paramref name="before"/> and this reading (same bounds: one exporter).</summary>
    public RequestDurationHistogram Since(RequestDurationHistogram before)
    {
        var earlier = before.Buckets.ToDictionary(b => b.UpperBound, b => b.Count);
        return new RequestDurationHistogram([.. Buckets.Select(b => (b.UpperBound, b.Count - earlier.GetValueOrDefault(b.UpperBound)))]);
    }

    /// <summary>The upper bound of the bucket that holds the <paramref name="quantile"/>: "at most this long"; null when empty or beyond the last finite bound.</summary>
    public TimeSpan? QuantileAtMost(double quantile)
    {
        var wanted = quantile * Count;
        foreach (var (bound, count) in Buckets)
        {
            if (count >= wanted && Count > 0)
            {
                return double.IsPositiveInfinity(bound) ? null : TimeSpan.FromSeconds(bound);
            }
        }
        return null;
    }

    private static string Label(string line, string name)
    {
        var start = line.IndexOf($"{name}=\"", StringComparison.Ordinal) + name.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }
}
