using System.Diagnostics;

namespace SpotifySync.Testing;

/// <summary>
/// A real <c>SpotifySync.Silo</c> or <c>SpotifySync.Api</c> process (the build output next to this repository's
/// projects), for tests and benchmarks that prove what only separate processes can: a silo killed with SIGKILL, a
/// silo joining later, the API's HTTP under load.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logPath;

    private ServiceProcess(Process process, string logPath, Uri httpUrl)
    {
        _process = process;
        _logPath = logPath;
        HttpUrl = httpUrl;
    }

    public Uri HttpUrl { get; }

    /// <summary>The operating-system process id (the <c>dotnet</c> host runs the service in-process).</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// CPU time the process has used so far, user and kernel (on Linux: utime + stime of <c>/proc/&lt;pid&gt;/stat</c>);
    /// the difference of two readings is what a stretch of work cost the silo.
    /// </summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Log => File.Exists(_logPath) ? string.Join('\n', File.ReadLines(_logPath).TakeLast(40)) : "";

    /// <summary>
    /// Resident memory now (VmRSS of <c>/proc/&lt;pid&gt;/status</c>), in bytes; 0 where there is no such file.
    /// </summary>
    public long ResidentBytes
    {
        get
        {
            var status = $"/proc/{_process.Id}/status";
            if (!File.Exists(status))
            {
                return 0;
            }
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    /// <summary>A <c>SpotifySync.Silo</c> process.</summary>
    public static ServiceProcess StartSilo(string name, IReadOnlyDictionary<string, string> configuration, string logDirectory) =>
        Start("SpotifySync.Silo", name, configuration, logDirectory);

    /// <summary>A <c>SpotifySync.Api</c> process.</summary>
    public static ServiceProcess StartApi(string name, IReadOnlyDictionary<string, string> configuration, string logDirectory) =>
        Start("SpotifySync.Api", name, configuration, logDirectory);

    private static ServiceProcess Start(string project, string name, IReadOnlyDictionary<string, string> configuration, string logDirectory)
    {
        var httpUrl = new Uri($"http://127.0.0.1:{FreeTcpPort.Pick()}/");
        var start = DotnetStart(project, ["--urls", httpUrl.ToString().TrimEnd('/')], configuration);
        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        // Output lines still arrive after the process has exited (the readers drain their pipes): a crash's last words,
        // the unhandled exception, come exactly then. So the log closes when both streams have ended (a null line),
        // not when the process exits.
        var openStreams = 2;
        void Write(string? line)
        {
            lock (log)
            {
                if (line is not null)
                {
                    log.WriteLine(line);
                }
                else if (--openStreams == 0)
                {
                    log.Dispose();
                }
            }
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process, logPath, httpUrl);
    }

    /// <summary>
    /// A one-shot command of <c>SpotifySync.Silo</c> (<c>migrate</c>, <c>reencrypt</c>) run to its end, as an operator
    /// runs it: its exit code and everything it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunSiloCommandAsync(
        string command, IReadOnlyDictionary<string, string> configuration, TimeSpan timeout)
    {
        var start = DotnetStart("SpotifySync.Silo", [command], configuration);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"SpotifySync.Silo {command} did not end within {timeout.TotalSeconds:0}s");
        }
        return (process.ExitCode, await output + await errors);
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Without a timeout, WaitForExit also waits for the redirected output to reach its end: the log is whole.
                _process.WaitForExit();
                throw new InvalidOperationException($"{Path.GetFileName(_logPath)} exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                if ((await http.GetAsync("health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Path.GetFileName(_logPath)} at {HttpUrl} not ready after {timeout.TotalSeconds:0}s:\n{Log}");
    }

    /// <summary>SIGKILL: no graceful shutdown, the cluster must notice on its own.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary><c>dotnet project.dll arguments --key=value...</c>, its output redirected: configuration as an operator passes it.</summary>
    private static ProcessStartInfo DotnetStart(string project, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> configuration)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AssemblyPath(project));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in configuration)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        return start;
    }

    /// <summary>The project built in the same configuration as the running tests (scripts/test.sh builds the solution first).</summary>
    private static string AssemblyPath(string project)
    {
        var testOutput = AppContext.BaseDirectory;
        var configuration = testOutput.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(testOutput); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, project, "bin", configuration, "net10.0", project + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{project}.dll ({configuration}) not found above {testOutput}: build the solution first.");
    }
}
