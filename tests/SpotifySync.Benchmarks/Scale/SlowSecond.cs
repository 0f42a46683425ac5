using System.Diagnostics;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// One second of the open-loop schedule with its slowest answer, beside what the <see cref="PauseSample"/>s say happened
/// from that second's start until its slowest answer came: GC pauses in the benchmark process and in the silos, and the
/// user grains in memory before and after.
/// </summary>
internal sealed record SlowSecond(
    int Second,
    TimeSpan WorstAnswer,
    TimeSpan LatestSend,
    TimeSpan BenchmarkGcPauses,
    int BenchmarkGen2Collections,
    TimeSpan SiloGcPauses,
    long UserGrainsBefore,
    long UserGrainsAfter)
{
    /// <summary>The <paramref name="count"/> seconds with the slowest answers, slowest first.</summary>
    public static IReadOnlyList<SlowSecond> Slowest(OpenLoopResult round, IReadOnlyList<PauseSample> samples, int count)
    {
        if (samples.Count == 0)
        {
            return [];
        }
        return round.WorstAnswerPerSecond
            .Select((worst, second) => (worst, second))
            .OrderByDescending(s => s.worst)
            .Take(count)
            .Select(s =>
            {
                var from = round.StartTimestamp + (long)(s.second * (double)Stopwatch.Frequency);
                var until = from + (long)((1 + s.worst.TotalSeconds) * Stopwatch.Frequency);
                var before = samples.LastOrDefault(x => x.Timestamp <= from) ?? samples[0];
                var after = samples.FirstOrDefault(x => x.Timestamp >= until) ?? samples[^1];
                return new SlowSecond(s.second, s.worst, round.LatestSendPerSecond[s.second],
                    after.BenchmarkGcPauses - before.BenchmarkGcPauses,
                    after.BenchmarkGen2Collections - before.BenchmarkGen2Collections,
                    after.SiloGcPauses - before.SiloGcPauses,
                    before.UserGrainsInMemory, after.UserGrainsInMemory);
            })
            .ToList();
    }
}
