using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>Everything one scale run measured, for the report.</summary>
internal sealed record ScaleRun
{
    public required ScaleSettings Settings { get; init; }
    public required MachineDescription Machine { get; init; }
    public required SiloMemory Fresh { get; init; }
    public required WarmUp WarmUp { get; init; }
    public required LatencySummary Connects { get; init; }
    public required ProcessCpuSplit ConnectsCpu { get; init; }
    public required SiloRuntimeCounters ConnectsRuntime { get; init; }
    public required PostgresTransactions ConnectsTransactions { get; init; }

    /// <summary>The connects as the API's own <c>http.server.request.duration</c> saw them.</summary>
    public required RequestDurationHistogram ConnectsServer { get; init; }

    /// <summary>Right after the connects: most users' grains still in memory (those connected in the last idle age).</summary>
    public required SiloMemory AfterConnects { get; init; }
    public required TimeSpan ClusterStart { get; init; }
    public required long LeftOverFirstSyncs { get; init; }
    public required TimeSpan LeftOverDrain { get; init; }
    public required LatencySummary ManualClosedLoop { get; init; }
    public required OpenLoopResult ManualOpenLoop { get; init; }

    /// <summary>The same window as the API's own <c>http.server.request.duration</c> saw it.</summary>
    public required RequestDurationHistogram ManualOpenLoopServer { get; init; }
    public required ProcessCpuSplit ManualOpenLoopCpu { get; init; }

    /// <summary>The silos' runtimes over the open-loop window: GC pauses and collections (the slow answers' suspect).</summary>
    public required SiloRuntimeCounters ManualOpenLoopRuntime { get; init; }

    /// <summary>Once a second over the open-loop window: GC pauses in the benchmark process and the silos, user grains in memory.</summary>
    public required IReadOnlyList<PauseSample> ManualOpenLoopPauses { get; init; }
    public required TimeSpan SyncAllAnswer { get; init; }
    public required int SyncAllQueued { get; init; }
    public required TimeSpan ResyncDrain { get; init; }
    public required long UsersSyncedTwice { get; init; }
    public required SiloMemory Idle { get; init; }
    public required StorageFootprint Storage { get; init; }
    public required TimeSpan RestartReady { get; init; }
    public required SiloMemory RestartedSiloAfterReady { get; init; }
    public required CommitCostResult CommitCost { get; init; }

    /// <summary>Managed heap per connected idle user, both silos, over what the fresh silos held.</summary>
    public double HeapPerIdleUser => (double)(Idle.HeapBytes - Fresh.HeapBytes) / Settings.Users;

    /// <summary>
    /// Managed heap per user grain in memory, from the silos right after the connects, the reminders' share
    /// (<see cref="HeapPerReminder"/> for every reminder row) taken out: most connected users' grains have left by then.
    /// </summary>
    public double HeapPerActiveUser => AfterConnects.UserActivations == 0 ? 0
        : (AfterConnects.HeapBytes - Fresh.HeapBytes - HeapPerReminder * Storage.ReminderRows) / AfterConnects.UserActivations;

    public double ResidentPerIdleUser => (double)(Idle.ResidentBytes - Fresh.ResidentBytes) / Settings.Users;

    /// <summary>
    /// What the reminder service keeps per reminder: the silo started after the kill holds its share of the ring's
    /// reminders and has run no user grain yet (its share is about half; the figure counts it as half).
    /// </summary>
    public double HeapPerReminder => (RestartedSiloAfterReady.HeapBytes - Fresh.HeapBytes / 2.0) / (Storage.ReminderRows / 2.0);
}
