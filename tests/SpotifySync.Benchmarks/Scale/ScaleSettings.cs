using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// What one scale run does, from the command line after <c>scale</c>: the full run (100,000 users) or <c>--quick</c>
/// (2,000 users, short windows, a 1-million-row commit table: the CI-sized run), and <c>--users N</c> to override.
/// </summary>
internal sealed record ScaleSettings
{
    public const string Usage = "usage: scale [--quick] [--users N]   (N >= 200)";

    public const int QuickUsers = 2_000;
    public const int FullUsers = 100_000;

    private const int MinUsers = 200;

    public required bool Quick { get; init; }

    public required int Users { get; init; }

    /// <summary>
    /// <c>Spotify:CallsPer30Seconds</c> of the paced cluster: what hourly syncs of <see cref="Users"/> need (about two
    /// calls per user and hour, a recently-played page and a token refresh), at least 300.
    /// </summary>
    public int PacedCallsPer30Seconds => Math.Max(300, (int)Math.Ceiling(Users * 2 / 120.0));

    /// <summary>Load on throwaway users before anything is timed, at least (see <see cref="ScaleBenchmark"/>).</summary>
    public required TimeSpan WarmUp { get; init; }

    /// <summary>The warm-up goes on past <see cref="WarmUp"/> until JIT compilation takes at most this share of each silo's time.</summary>
    public double SettledJitShare { get; init; } = 0.05;

    /// <summary>The warm-up stops here, settled or not (the report says which).</summary>
    public required TimeSpan MaxWarmUp { get; init; }

    /// <summary>One warm-up round: connects, presses, then disconnects of its throwaway users; JIT is read per round.</summary>
    public TimeSpan WarmUpRound { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Concurrent API clients for the connects and the closed-loop manual syncs (the 64).</summary>
    public int Clients { get; init; } = 64;

    /// <summary>
    /// The users whose "Sync Data" button is pressed in the manual-sync rounds: the app's active few, not the whole
    /// base, so that the syncs those presses queue drain in seconds rather than re-syncing everyone.
    /// </summary>
    public required int ManualSyncUsers { get; init; }

    public required TimeSpan ClosedLoopDuration { get; init; }

    /// <summary>The open-loop round offers requests at this fixed rate, whatever the answers do (the 500/s).</summary>
    public int OpenLoopRate { get; init; } = 500;

    /// <summary>
    /// Long enough to take in Orleans' collection of the grains the connects left in memory (their idle age plus a
    /// collection quantum after the last connect, less the closed-loop round): a running cluster meets such a
    /// collection every minute, and an earlier 30-second window could fall before it or on it by chance.
    /// </summary>
    public required TimeSpan OpenLoopDuration { get; init; }

    /// <summary>
    /// <c>Sync:IdleUserCollectionAge</c> of the run's silos: the idle measurement waits this long (plus a margin)
    /// after the last sync. The full run keeps the shipped default.
    /// </summary>
    public required TimeSpan IdleCollectionAge { get; init; }

    /// <summary><c>Sync:IdleUserCollectionQuantum</c> of the run's silos: the shipped default.</summary>
    public TimeSpan IdleCollectionQuantum { get; init; } = new Grains.Options.SyncOptions().IdleUserCollectionQuantum;

    /// <summary>
    /// How long after its last call a user's grain may still be in memory: Orleans' collector looks at a grain when
    /// the age it was given runs out, and a grain used since then gets a new full age from that look (a quantum
    /// rounds each up). So up to two ages and two quanta; the idle measurement waits that long and a margin.
    /// </summary>
    public TimeSpan IdleWait => IdleCollectionAge * 2 + Grains.Users.IdleUserCollection.Quantum(IdleCollectionAge, IdleCollectionQuantum) * 2 + TimeSpan.FromSeconds(30);

    /// <summary>Rows put in <c>listening_data</c> before the second commit-cost measurement (10 million in the full run).</summary>
    public required long CommitCostTableRows { get; init; }

    /// <summary>Commits timed at each table size.</summary>
    public int CommitsTimed { get; init; } = 300;

    /// <param name="args">The arguments after <c>scale</c>.</param>
    public static ScaleSettings Parse(IReadOnlyList<string> args)
    {
        var (quick, users, _) = BenchmarkArguments.Parse(args, MinUsers, Usage);
        var userCount = users ?? (quick ? QuickUsers : FullUsers);
        return new ScaleSettings
        {
            Quick = quick,
            Users = userCount,
            ManualSyncUsers = Math.Min(5_000, userCount),
            WarmUp = TimeSpan.FromSeconds(quick ? 40 : 90),
            MaxWarmUp = TimeSpan.FromMinutes(quick ? 3 : 6),
            ClosedLoopDuration = TimeSpan.FromSeconds(quick ? 10 : 20),
            OpenLoopDuration = TimeSpan.FromSeconds(quick ? 30 : 180),
            IdleCollectionAge = quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromMinutes(2),
            CommitCostTableRows = quick ? 1_000_000 : 10_000_000,
        };
    }
}
