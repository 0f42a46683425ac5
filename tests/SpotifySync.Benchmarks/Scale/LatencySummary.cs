using System.Diagnostics;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>One load round's answers: how many, how fast they came, and their latency percentiles.</summary>
internal sealed record LatencySummary(int Requests, int Failures, TimeSpan Elapsed, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;

    /// <param name="latencies">Stopwatch ticks per answered request, in any order (sorted here).</param>
    public static LatencySummary From(List<long> latencies, int failures, TimeSpan elapsed)
    {
        latencies.Sort();
        TimeSpan At(double quantile) => latencies.Count == 0
            ? TimeSpan.Zero
            : Ticks(latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(quantile * latencies.Count) - 1)]);
        return new LatencySummary(latencies.Count + failures, failures, elapsed, At(0.50), At(0.99), latencies.Count == 0 ? TimeSpan.Zero : Ticks(latencies[^1]));
    }

    private static TimeSpan Ticks(long stopwatchTicks) => TimeSpan.FromSeconds((double)stopwatchTicks / Stopwatch.Frequency);
}
