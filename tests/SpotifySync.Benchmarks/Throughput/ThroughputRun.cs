namespace SpotifySync.Benchmarks.Throughput;

/// <summary>Everything one throughput run measured.</summary>
internal sealed record ThroughputRun(
    ThroughputSettings Settings,
    MachineDescription Machine,
    RoundMeasurement ConnectRound,
    IReadOnlyList<RoundMeasurement> WarmUpRounds,
    IReadOnlyList<RoundMeasurement> MeasuredRounds,
    CpuUsage IdleSilos,
    CoordinatorMeasurement CoordinatorFirstPass,
    CoordinatorMeasurement Coordinator,
    BudgetMeasurement Budget,
    PeerMeasurement PeerWithSleep,
    PeerMeasurement PeerWithoutSleep)
{
    /// <summary>The median measured sync-all by users/s: the end-to-end figure.</summary>
    public RoundMeasurement SyncAll => MeasuredRounds.OrderBy(r => r.UsersPerSecond).ElementAt(MeasuredRounds.Count / 2);
}
