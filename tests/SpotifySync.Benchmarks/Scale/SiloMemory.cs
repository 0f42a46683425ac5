using Orleans.Runtime;
using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// What the silos hold, read from outside as an operator would: a full, compacting collection is asked for through
/// Orleans' management grain, then each silo's <c>/metrics</c> gives the managed heap left after it (all generations)
/// and its user-grain activations, and <c>/proc</c> gives the resident set.
/// </summary>
internal sealed record SiloMemory(long HeapBytes, long ResidentBytes, long UserActivations)
{
    /// <param name="silos">The silos to read (only running ones).</param>
    public static async Task<SiloMemory> ReadAsync(SiloCluster cluster, IEnumerable<Testing.ServiceProcess> silos, CancellationToken ct)
    {
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        await management.ForceGarbageCollection([.. hosts.Keys]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        long heap = 0, resident = 0, activations = 0;
        foreach (var silo in silos)
        {
            var metrics = new MetricsText(await http.GetStringAsync(new Uri(silo.HttpUrl, "metrics"), ct));
            heap += (long)metrics.Sum("dotnet_gc_last_collection_heap_size_bytes");
            activations += (long)metrics.Sum("orleans_catalog_activations", "grain_type=\"usersync\"");
            resident += silo.ResidentBytes;
        }
        return new SiloMemory(heap, resident, activations);
    }
}
