using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Steady;

/// <summary>
/// <c>steady [--quick] [--users N] [--interval T]</c>: issue 14's steady state from reminders alone. Prints one table
/// and writes it to its own section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class SteadyCommand
{
    public const string Name = "steady";

    public static Task<int> RunAsync(IReadOnlyList<string> args) =>
        BenchmarkCommand.RunAsync(Name, args, SteadySettings.Parse, async (settings, progress, ct) =>
            new SteadyReport(await new SteadyBenchmark(settings, progress).RunAsync(ct)).ToMarkdown());
}
