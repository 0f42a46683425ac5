using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Steady;

/// <summary>
/// <c>steady [--quick] [--users N] [--interval T]</c>: issue 14's steady state from reminders alone. Prints one table
/// and writes it to its own section of <c>docs/benchmarks.md</c>. Ctrl+C cleans up.
/// </summary>
internal static class SteadyCommand
{
    public const string Name = "steady";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        SteadySettings settings;
        try
        {
            settings = SteadySettings.Parse(args);
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
                Console.Error.WriteLine("stopping: removing silos, PostgreSQL and temp folders (Ctrl+C again to abort at once)");
                cancel.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var run = await new SteadyBenchmark(settings, new ProgressLog()).RunAsync(cancel.Token);
            var section = new SteadyReport(run).ToMarkdown();
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
