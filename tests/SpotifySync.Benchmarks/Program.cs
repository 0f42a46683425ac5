// SpotifySync benchmarks: the speed and memory figures of the two hot paths, printed, never asserted
// (a timed unit test is flaky on a busy CI machine and says nothing about allocations).
//
//   ListeningDataWriterBenchmarks  one sync's commit: a page of 50 plays + the user row, one transaction,
//                                  against a private PostgreSQL started inside the benchmark process
//                                  (PostgreSQL's server binaries are needed, as for the integration tests)
//   SyncQueueBenchmarks            the coordinator's in-memory queue at 100,000 users
//
// Full run (minutes), from the repository root:
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- --filter '*'
// Quick figures (fewer iterations, wider error bars):
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- --filter '*' --job short
// One class only: --filter '*SyncQueue*'. Reports land in tests/SpotifySync.Benchmarks/BenchmarkDotNet.Artifacts.
//
// Whole-system throughput (issue 13), a plain console run, not BenchmarkDotNet: 2 silo processes, PostgreSQL and the
// emulator on this machine; prints one table and writes it to docs/benchmarks.md (see Throughput/):
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- throughput --quick      # 1,000 users, ~4 min
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- throughput [--users N]  # 10,000 users by default
//
// Scale (issue 14): connects, "Sync Data", sync-all, memory per idle user, silo restart, bytes per play, commit cost
// (see Scale/):
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- scale --quick           # 2,000 users
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- scale [--users N]       # 100,000 users by default
//
// Steady state from reminders alone (issue 14; see Steady/): two intervals of scheduled syncs, nothing else:
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- steady --quick          # 2,000 users every 2 min
//   dotnet run -c Release --project tests/SpotifySync.Benchmarks -- steady [--users N] [--interval T]  # 100,000 every 30 min
using BenchmarkDotNet.Running;
using SpotifySync.Benchmarks.Scale;
using SpotifySync.Benchmarks.Steady;
using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks;

// A namespaced Program, not top-level statements: the silo (referenced through SpotifySync.Testing) exposes a
// global Program of its own, and the two would clash.
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ThroughputCommand.Name)
        {
            return await ThroughputCommand.RunAsync(args[1..]);
        }
        if (args.Length > 0 && args[0] == ScaleCommand.Name)
        {
            return await ScaleCommand.RunAsync(args[1..]);
        }
        if (args.Length > 0 && args[0] == SteadyCommand.Name)
        {
            return await SteadyCommand.RunAsync(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
        return 0;
    }
}
