using System.Diagnostics;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// One reading, taken once a second during the open-loop round, of what could hold answers back: the benchmark
/// process's own GC pauses (it hosts the emulator and the load generator, whose sends a pause delays), both silos' GC
/// pauses and CPU time, and the user grains the silos have in memory (Orleans' collector deactivates a whole minute's
/// idle grains at one tick).
/// </summary>
/// <param name="Timestamp">When the reading was complete (<see cref="Stopwatch.GetTimestamp"/>).</param>
internal sealed record PauseSample(
    long Timestamp, TimeSpan BenchmarkGcPauses, int BenchmarkGen2Collections, TimeSpan SiloGcPauses, TimeSpan SiloCpu, long UserGrainsInMemory)
{
    public static async Task<PauseSample> ReadAsync(HttpClient http, IEnumerable<Uri> siloUrls, CancellationToken ct)
    {
        double siloPauseSeconds = 0, siloCpuSeconds = 0, userGrains = 0;
        foreach (var url in siloUrls)
        {
            var metrics = new MetricsText(await http.GetStringAsync(new Uri(url, "metrics"), ct));
            siloPauseSeconds += metrics.Sum("dotnet_gc_pause_time_seconds_total");
            siloCpuSeconds += metrics.Sum("dotnet_process_cpu_time_seconds_total");
            userGrains += metrics.Sum("orleans_catalog_activations", "grain_type=\"usersync\"");
        }
        return new PauseSample(Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration(), GC.CollectionCount(2),
            TimeSpan.FromSeconds(siloPauseSeconds), TimeSpan.FromSeconds(siloCpuSeconds), (long)userGrains);
    }
}
