using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// <c>scale [--quick] [--users N]</c>: issue 14's figures at N connected users (100,000 by default, 2,000 quick).
/// Prints one table and writes it to its own section of <c>docs/benchmarks.md</c>. Ctrl+C cleans up.
/// </summary>
internal static class ScaleCommand
{
    public const string Name = "scale";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ScaleSettings settings;
        try
        {
            settings = ScaleSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine("stopping: removing silos, API, PostgreSQL and temp folders (Ctrl+C again to abort at once)");
                cancel.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var run = await new ScaleBenchmark(settings, new ProgressLog()).RunAsync(cancel.Token);
            var section = new ScaleReport(run).ToMarkdown();
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
