namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// What one throughput run does, from the command line after <c>throughput</c>: <c>--quick</c> (1,000 users, short
/// budget scenario) or the full run (10,000 users), and <c>--users N</c> to override the user count.
/// </summary>
internal sealed record ThroughputSettings
{
    public const string Usage = "usage: throughput [--quick] [--users N]   (N >= 20)";

    private const int MinUsers = 20;

    public required bool Quick { get; init; }

    /// <summary>Emulator users connected to SpotifySync (scenarios 1 and 3).</summary>
    public required int Users { get; init; }

    /// <summary>Ids enqueued at the coordinator that were never connected (scenario 2).</summary>
    public required int CoordinatorUsers { get; init; }

    /// <summary><c>Spotify:CallsPer30Seconds</c> and the emulator's window limit in scenario 3.</summary>
    public required int CallBudget { get; init; }

    /// <summary>Load before the measured stretch of scenario 3: one whole window, so the last 30 s are steady state.</summary>
    public TimeSpan BudgetWarmUp { get; init; } = TimeSpan.FromSeconds(31);

    public required TimeSpan BudgetMeasurement { get; init; }

    /// <summary>Users served by the peer loop with its 2 s sleep (about 0.5 users/s by construction).</summary>
    public required int PeerUsersWithSleep { get; init; }

    /// <summary>Users served by the same loop without the sleep (other listeners than those of the loop with it).</summary>
    public required int PeerUsersWithoutSleep { get; init; }

    /// <summary>
    /// Sync-all rounds run at least this long before the measured ones: fresh silos compile (and recompile, tier by
    /// tier) for the first minute or so of load, and a running service has long finished that.
    /// </summary>
    public required TimeSpan WarmUp { get; init; }

    /// <summary>Measured sync-all rounds; the report gives the median one and the range.</summary>
    public int MeasuredRounds { get; init; } = 3;

    /// <summary>Connect calls in flight at once in the connect round.</summary>
    public int ConnectConcurrency { get; init; } = 32;

    /// <param name="args">The arguments after <c>throughput</c>.</param>
    public static ThroughputSettings Parse(IReadOnlyList<string> args)
    {
        var (quick, users, _) = BenchmarkArguments.Parse(args, MinUsers, Usage);
        var userCount = users ?? (quick ? 1_000 : 10_000);
        var peerUsersWithSleep = Math.Min(10, userCount / 2);
        return new ThroughputSettings
        {
            Quick = quick,
            Users = userCount,
            CoordinatorUsers = quick ? 5_000 : 20_000,
            CallBudget = quick ? 300 : 1_200,
            WarmUp = TimeSpan.FromSeconds(quick ? 45 : 120),
            BudgetMeasurement = TimeSpan.FromSeconds(quick ? 40 : 90),
            PeerUsersWithSleep = peerUsersWithSleep,
            PeerUsersWithoutSleep = Math.Min(200, userCount - peerUsersWithSleep),
        };
    }
}
