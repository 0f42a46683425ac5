using System.Diagnostics;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>Takes CPU readings at the start of a measured stretch and turns the end reading into a <see cref="CpuUsage"/>.</summary>
internal sealed class CpuMeter
{
    private readonly SiloCluster _cluster;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _silos;
    private readonly TimeSpan _benchmarkProcess;
    private readonly MachineCpuCounters _machine;

    private CpuMeter(SiloCluster cluster)
    {
        _cluster = cluster;
        _silos = cluster.ProcessorTime;
        _benchmarkProcess = BenchmarkProcessTime();
        _machine = MachineCpuCounters.Read();
    }

    public static CpuMeter Start(SiloCluster cluster) => new(cluster);

    public CpuUsage Stop()
    {
        var elapsed = _clock.Elapsed;
        var machineShare = MachineCpuCounters.Read().BusyShareSince(_machine);
        return new CpuUsage(
            elapsed,
            _cluster.ProcessorTime - _silos,
            BenchmarkProcessTime() - _benchmarkProcess,
            machineShare is { } share ? elapsed * share * Environment.ProcessorCount : null);
    }

    private static TimeSpan BenchmarkProcessTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
