using System.Diagnostics;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Scenario 2, the coordinator alone: ids that were never connected go through the whole dispatch path (enqueue with
/// its sync_queue upsert, dispatch, one-way call, claim, report) but their grains find no row and report "skipped"
/// without calling Spotify. The first run also activates each grain (one spotify_users lookup); a second run over the
/// same ids finds them active and measures the dispatch path alone.
/// </summary>
internal sealed class CoordinatorScenario(SiloCluster cluster, int users)
{
    /// <summary>Short, as the whole run may take a second or two; each status call is a (small) coordinator turn of its own.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private const int EnqueueConcurrency = 64;

    public async Task<CoordinatorMeasurement> RunAsync(CancellationToken ct)
    {
        var ids = Enumerable.Range(0, users).Select(i => $"never-connected-{i:D6}").ToList();
        var coordinator = cluster.Coordinator;
        var cpu = CpuMeter.Start(cluster);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = EnqueueConcurrency, CancellationToken = ct },
            async (id, _) => await coordinator.EnqueueAsync(id, SyncTrigger.Manual));
        var enqueued = clock.Elapsed;
        var drain = await QueueDrain.WaitAsync(coordinator, PollInterval, TimeSpan.FromSeconds(60 + users / 100), ct);
        var drained = clock.Elapsed;
        return new CoordinatorMeasurement(users, enqueued, drained, drain.MeanInFlight, cpu.Stop());
    }
}
