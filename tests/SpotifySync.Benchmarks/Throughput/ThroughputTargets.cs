namespace SpotifySync.Benchmarks.Throughput;

/// <summary>The targets of issue 13, printed next to the measured figures (never asserted).</summary>
internal static class ThroughputTargets
{
    public const double EndToEndUsersPerSecond = 300;
    public const double SiloCpuMsPerUserSync = 1.0;
    public const double CoordinatorUsersPerSecond = 5_000;
    public const double BudgetShareUsed = 0.95;

    /// <summary><c>Sync:MaxConcurrentSyncs</c>' default, which the benchmark silos keep.</summary>
    public const int MaxConcurrentSyncs = 64;
}
