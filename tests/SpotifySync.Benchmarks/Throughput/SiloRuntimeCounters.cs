using System.Globalization;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// What the silos' .NET runtimes spent on themselves, summed over the silos, from the <c>System.Runtime</c> meter on
/// each silo's <c>/metrics</c>: the difference of two readings says how much of a stretch's CPU was JIT compilation
/// (warm-up still going on), how long GC paused it and in how many collections (all generations), and how much it
/// allocated.
/// </summary>
internal sealed record SiloRuntimeCounters(TimeSpan JitCompilation, TimeSpan GcPauses, long AllocatedBytes, long GcCollections = 0)
{
    public static readonly SiloRuntimeCounters Zero = new(TimeSpan.Zero, TimeSpan.Zero, 0);

    /// <summary>The mean GC pause of the stretch, zero without a collection.</summary>
    public TimeSpan MeanGcPause => GcCollections == 0 ? TimeSpan.Zero : GcPauses / GcCollections;

    public static async Task<SiloRuntimeCounters> ReadAsync(IEnumerable<Uri> siloUrls, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var total = Zero;
        foreach (var url in siloUrls)
        {
            var text = await http.GetStringAsync(new Uri(url, "metrics"), ct);
            total += new SiloRuntimeCounters(
                TimeSpan.FromSeconds(Sample(text, "dotnet_jit_compilation_time_seconds_total")),
                TimeSpan.FromSeconds(Sample(text, "dotnet_gc_pause_time_seconds_total")),
                (long)Sample(text, "dotnet_gc_heap_total_allocated_bytes_total"),
                (long)SumOfSeries(text, "dotnet_gc_collections_total"));
        }
        return total;
    }

    public static SiloRuntimeCounters operator +(SiloRuntimeCounters a, SiloRuntimeCounters b) =>
        new(a.JitCompilation + b.JitCompilation, a.GcPauses + b.GcPauses, a.AllocatedBytes + b.AllocatedBytes, a.GcCollections + b.GcCollections);

    public static SiloRuntimeCounters operator -(SiloRuntimeCounters a, SiloRuntimeCounters b) =>
        new(a.JitCompilation - b.JitCompilation, a.GcPauses - b.GcPauses, a.AllocatedBytes - b.AllocatedBytes, a.GcCollections - b.GcCollections);

    /// <summary>The value of a metric without labels other than the scope (Prometheus text format), 0 when absent.</summary>
    private static double Sample(string exposition, string name)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' ')
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    /// <summary>The sum of every series of a labelled metric (e.g. one per GC generation), 0 when absent.</summary>
    private static double SumOfSeries(string exposition, string name)
    {
        var sum = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' ')
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }
}
