using System.Diagnostics;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>What the run is doing, with the time since it began, on stderr so that stdout is just the table.</summary>
internal sealed class ProgressLog
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Say(string message) => Console.Error.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {message}");
}
