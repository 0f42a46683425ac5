using System.Diagnostics;

namespace SpotifySync.Testing;

/// <summary>
/// A real <c>SpotifySync.Silo</c> process (the build output next to this repository's silo project), for
/// tests that prove what only separate processes can: a silo killed with SIGKILL, a silo joining later.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logPath;

    private SiloProcess(Process process, string logPath, Uri httpUrl)
    {
        _process = process;
        _logPath = logPath;
        HttpUrl = httpUrl;
    }

    public Uri HttpUrl { get; }

    /// <summary>The operating-system process id of the silo (the <c>dotnet</c> host runs the silo in-process).</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// CPU time the silo has used so far, user and kernel (on Linux: utime + stime of <c>/proc/&lt;pid&gt;/stat</c>);
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

    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> configuration, string logDirectory)
    {
        var httpUrl = new Uri($"http://127.0.0.1:{FreeTcpPort.Pick()}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloAssemblyPath());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(httpUrl.ToString().TrimEnd('/'));
        foreach (var (key, value) in configuration)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var closed = false;
        // Output lines can still arrive after Exited (the readers drain their buffers): once the log is closed they
        // are dropped, or a write to the disposed writer would crash the test host from a thread-pool callback.
        void Write(string? line)
        {
            lock (log)
            {
                if (line is not null && !closed)
                {
                    log.WriteLine(line);
                }
            }
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            lock (log)
            {
                closed = true;
                log.Dispose();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, logPath, httpUrl);
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{Log}");
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
        throw new TimeoutException($"silo at {HttpUrl} not ready after {timeout.TotalSeconds:0}s:\n{Log}");
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

    /// <summary>The silo built in the same configuration as the running tests (scripts/test.sh builds the solution first).</summary>
    private static string SiloAssemblyPath()
    {
        var testOutput = AppContext.BaseDirectory;
        var configuration = testOutput.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(testOutput); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "SpotifySync.Silo", "bin", configuration, "net10.0", "SpotifySync.Silo.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"SpotifySync.Silo.dll ({configuration}) not found above {testOutput}: build the solution first.");
    }
}
