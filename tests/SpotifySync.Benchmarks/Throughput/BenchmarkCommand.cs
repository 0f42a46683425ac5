namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// What every whole-system benchmark command does around its run: parse its arguments (a bad one prints the usage and
/// exits 2), run with Ctrl+C wired to cancel (the first Ctrl+C cleans up: silos, API, PostgreSQL and temp folders; a
/// second one is the user insisting and ends the process at once), print the report and write it to its own section
/// of <c>docs/benchmarks.md</c>, or of the file named by <c>--output PATH</c> (CI's quick runs, which must not replace
/// the committed figures).
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
        string document;
        try
        {
            (document, var others) = SplitOutput(args);
            settings = parse(others);
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
            BenchmarksDocument.WriteSection(document, name, section);
            Console.WriteLine($"written to {document}");
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

    private static (string Document, IReadOnlyList<string> Others) SplitOutput(IReadOnlyList<string> args)
    {
        var at = args.ToList().IndexOf("--output");
        if (at < 0)
        {
            return (BenchmarksDocument.DefaultPath, args);
        }
        if (at + 1 >= args.Count || args[at + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("--output needs a file path");
        }
        return (args[at + 1], args.Where((_, i) => i != at && i != at + 1).ToArray());
    }
}
