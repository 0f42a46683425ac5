using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Steady;

/// <summary>
/// <c>steady [--quick] [--users N] [--interval T]</c>: N users (100,000; quick 1,000) synced by their reminders alone
/// every T (30 min; quick 1 min, Orleans' shortest reminder period) for two intervals after the first syncs.
/// </summary>
internal sealed record SteadySettings
{
    public const string Usage = "usage: steady [--quick] [--users N] [--interval hh:mm:ss]   (N >= 100, interval >= 1 min)";

    public required bool Quick { get; init; }

    public required int Users { get; init; }

    public required TimeSpan Interval { get; init; }

    /// <summary>Intervals watched after the first syncs.</summary>
    public int Intervals { get; init; } = 2;

    /// <summary>A sync later than this share of the interval counts as late (the 10%).</summary>
    public double LateShare { get; init; } = 0.10;

    public double SyncsPerSecond => Users / Interval.TotalSeconds;

    /// <summary>
    /// <c>Sync:MissedSyncCheckPeriod</c> and <c>Sync:MissedSyncGrace</c> for the run: their 1-minute defaults from 30
    /// minutes up, a thirtieth of shorter intervals (at least 10 s), so that a tick Orleans skips is caught within the
    /// 10 % of the interval the judge allows (grace plus at most one period plus the queue), as the README advises.
    /// </summary>
    public TimeSpan MissedSyncCheck => TimeSpan.FromTicks(Math.Clamp(Interval.Ticks / 30, TimeSpan.FromSeconds(10).Ticks, TimeSpan.FromMinutes(1).Ticks));

    public static SteadySettings Parse(IReadOnlyList<string> args)
    {
        var (quick, users, interval) = BenchmarkArguments.Parse(args, minUsers: 100, Usage, minInterval: TimeSpan.FromMinutes(1));
        return new SteadySettings
        {
            Quick = quick,
            Users = users ?? (quick ? 1_000 : 100_000),
            Interval = interval ?? (quick ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(30)),
        };
    }
}
