namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Where the CPU went during one measured stretch: the silos, this benchmark process (the emulator, the Orleans
/// client, the peer loop) and the whole machine (so the rest is PostgreSQL, plus whatever else ran meanwhile).
/// </summary>
internal sealed record CpuUsage(TimeSpan Elapsed, TimeSpan Silos, TimeSpan BenchmarkProcess, TimeSpan? Machine)
{
    /// <summary>Machine CPU that was neither the silos nor this process: mostly PostgreSQL on a quiet machine.</summary>
    public TimeSpan? Rest => Machine is { } machine ? machine - Silos - BenchmarkProcess : null;

    /// <summary>Cores' worth of CPU used on average (1.0 = one core busy the whole time).</summary>
    public static double Cores(TimeSpan cpu, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? cpu / elapsed : 0;
}
