namespace SpotifySync.Benchmarks.Throughput;

/// <summary>One measured round of real user syncs (scenario 1): from the request that queued them to the last commit.</summary>
internal sealed record RoundMeasurement(
    int Users,
    int Succeeded,
    TimeSpan Elapsed,
    long PlaysInserted,
    CpuUsage Cpu,
    TimeSpan P50,
    TimeSpan P99,
    double MeanInFlight,
    SiloRuntimeCounters Runtime)
{
    public double UsersPerSecond => Users / Elapsed.TotalSeconds;

    public double PlaysPerSecond => PlaysInserted / Elapsed.TotalSeconds;

    public double SiloCpuMsPerUser => Cpu.Silos.TotalMilliseconds / Users;

    public double JitMsPerUser => Runtime.JitCompilation.TotalMilliseconds / Users;

    public double GcPauseMsPerUser => Runtime.GcPauses.TotalMilliseconds / Users;

    public double AllocatedKbPerUser => Runtime.AllocatedBytes / 1024.0 / Users;
}
