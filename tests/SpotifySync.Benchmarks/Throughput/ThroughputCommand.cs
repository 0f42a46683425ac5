namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// <c>throughput [--quick] [--users N]</c>: a plain console benchmark of the whole system (not BenchmarkDotNet: one
/// run of minutes, not many iterations of a method). Prints one table and writes it to <c>docs/benchmarks.md</c>.
/// Ctrl+C stops the run and still removes the silos, PostgreSQL and the temp folders.
/// </summary>
internal static class ThroughputCommand
{
    public const string Name = "throughput";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ThroughputSettings settings;
        try
        {
            settings = ThroughputSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C cleans up; a second one is the user insisting, and ends the process at once.
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine("stopping: removing silos, PostgreSQL and temp folders (Ctrl+C again to abort at once)");
                cancel.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var run = await new ThroughputBenchmark(settings, new ProgressLog()).RunAsync(cancel.Token);
            var section = new ThroughputReport(run).ToMarkdown();
            Console.WriteLine();
            Console.WriteLine(section);
            Console.WriteLine($"written to {BenchmarksDocument.WriteSection(Name, section)}");
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
