namespace SpotifySync.Benchmarks.Throughput;

/// <summary>Everything one throughput run measured.</summary>
internal sealed record ThroughputRun(
    ThroughputSettings Settings,
    MachineDescription Machine,
    RoundMeasurement ConnectRound,
    RoundMeasurement SyncAllWarmUp,
    RoundMeasurement SyncAll,
    CpuUsage IdleSilos,
    CoordinatorMeasurement Coordinator,
    BudgetMeasurement Budget,
    PeerMeasurement PeerWithSleep,
    PeerMeasurement PeerWithoutSleep);
