namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// What every whole-system benchmark command does around its run: parse its arguments (a bad one prints the usage and
/// exits 2), run with Ctrl+C wired to cancel (the first Ctrl+C cleans up: silos, API, PostgreSQL and temp folders; a
/// second one is the user insisting and ends the process at once), print the report and write it to its own section
/// of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class BenchmarkCommand
{
    /// <param name="name">The command word, which also names the report's section in docs/benchmarks.md.</param>
    /// <param name="parse">Settings from the arguments; throws <see cref="ArgumentException"/> with the usage.</param>
    /// <param name="runToMarkdown">Runs the benchmark and returns its report.</param>
    public static async Task<int> RunAsync<TSettings>(
        string name, IReadOnlyList<string> args, Func<IReadOnlyList<string>, TSettings> parse,
        Func<TSettings, ProgressLog, CancellationToken, Task<string>> runToMarkdown)
    {
        TSettings settings;
        try
        {
            settings = parse(args);
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
            var section = await runToMarkdown(settings, new ProgressLog(), cancel.Token);
            Console.WriteLine();
            Console.WriteLine(section);
            Console.WriteLine($"written to {BenchmarksDocument.WriteSection(name, section)}");
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
