using Orleans.Runtime;
using SpotifySync.Benchmarks.Throughput;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// What the silos hold, read from outside as an operator would: full collections are asked for through Orleans'
/// management grain, then each silo's <c>/metrics</c> gives the managed heap left after the last one (all generations,
/// fragmentation (the free space between live objects) included and also given alone) and its user-grain activations,
/// and <c>/proc</c> gives the resident set.
/// </summary>
/// <param name="HeapAfterFirstCollectionBytes">
/// The heap after the first of the two collections: what a finalizer still references survives one collection, so
/// the second is the one that shows what the silo holds.
/// </param>
internal sealed record SiloMemory(long HeapBytes, long ResidentBytes, long UserActivations, long FragmentationBytes, long HeapAfterFirstCollectionBytes)
{
    /// <param name="silos">The silos to read (only running ones).</param>
    public static async Task<SiloMemory> ReadAsync(SiloCluster cluster, IEnumerable<Testing.ServiceProcess> silos, CancellationToken ct)
    {
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await management.ForceGarbageCollection(hosts);
        var first = await ReadHeapAsync(http, silos, ct);
        // The finalizer thread's turn between the two.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await management.ForceGarbageCollection(hosts);
        var second = await ReadHeapAsync(http, silos, ct);
        return second with { HeapAfterFirstCollectionBytes = first.HeapBytes };
    }

    private static async Task<SiloMemory> ReadHeapAsync(HttpClient http, IEnumerable<Testing.ServiceProcess> silos, CancellationToken ct)
    {
        long heap = 0, resident = 0, activations = 0, fragmentation = 0;
        foreach (var silo in silos)
        {
            var metrics = new MetricsText(await http.GetStringAsync(new Uri(silo.HttpUrl, "metrics"), ct));
            heap += (long)metrics.Sum("dotnet_gc_last_collection_heap_size_bytes");
            fragmentation += (long)metrics.Sum("dotnet_gc_last_collection_heap_fragmentation_size_bytes");
            activations += (long)metrics.Sum("orleans_catalog_activations", "grain_type=\"usersync\"");
            resident += silo.ResidentBytes;
        }
        return new SiloMemory(heap, resident, activations, fragmentation, heap);
    }
}
