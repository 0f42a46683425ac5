using System.Diagnostics;
using System.Text;

namespace SpotifySync.Testing;

/// <summary>
/// Runs a command to completion and captures its output. Tests drive tools such as
/// initdb and pg_ctl this way; a hung tool must fail the test, never hang the run.
/// </summary>
public static class ExternalProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        CancellationToken ct = default,
        TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            startInfo.WorkingDirectory = workingDirectory;
        }
        foreach (var argument in arguments)
        {
            // ArgumentList avoids quoting bugs: each element reaches the tool as exactly one argument.
            startInfo.ArgumentList.Add(argument);
        }

        // One buffer for both streams keeps error lines next to the output that led to them.
        var output = new StringBuilder();
        void Append(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        }

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;

        try
        {
            process.Start();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{Describe(fileName, arguments)}': {ex.Message}", ex);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Nothing we run is interactive; a closed stdin makes any accidental prompt fail fast.
        process.StandardInput.Close();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var limit = timeout ?? DefaultTimeout;
        timeoutSource.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            // The parameterless wait also drains the async readers, so no trailing line is lost.
            process.WaitForExit();
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'{Describe(fileName, arguments)}' did not finish within {limit.TotalSeconds:0}s. Output so far:\n{Snapshot(output)}");
        }

        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    public static string Describe(string fileName, IReadOnlyList<string> arguments) =>
        string.Join(' ', arguments.Prepend(fileName).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            // The whole tree: wrappers such as runuser would otherwise leave the real tool running.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the timeout and the kill.
        }
    }
}
