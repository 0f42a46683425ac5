using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// <c>scale [--quick] [--users N]</c>: issue 14's figures at N connected users (100,000 by default, 2,000 quick).
/// Prints one table and writes it to its own section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class ScaleCommand
{
    public const string Name = "scale";

    public static Task<int> RunAsync(IReadOnlyList<string> args) =>
        BenchmarkCommand.RunAsync(Name, args, ScaleSettings.Parse, async (settings, progress, ct) =>
            new ScaleReport(await new ScaleBenchmark(settings, progress).RunAsync(ct)).ToMarkdown());
}
