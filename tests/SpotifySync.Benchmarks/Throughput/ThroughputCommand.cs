namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// <c>throughput [--quick] [--users N]</c>: a plain console benchmark of the whole system (not BenchmarkDotNet: one
/// run of minutes, not many iterations of a method). Prints one table and writes it to <c>docs/benchmarks.md</c>.
/// </summary>
internal static class ThroughputCommand
{
    public const string Name = "throughput";

    public static Task<int> RunAsync(IReadOnlyList<string> args) =>
        BenchmarkCommand.RunAsync(Name, args, ThroughputSettings.Parse, async (settings, progress, ct) =>
            new ThroughputReport(await new ThroughputBenchmark(settings, progress).RunAsync(ct)).ToMarkdown());
}
