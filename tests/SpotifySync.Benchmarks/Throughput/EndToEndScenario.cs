using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Scenario 1, end to end with no call budget and no spacing: the connect round (each connect queues a first sync:
/// token refresh, 50 new plays) and then a sync-all of every connected user (recently-played with the stored access
/// token, the few plays added since, the user row), each measured until the queue drains.
/// </summary>
internal sealed class EndToEndScenario(BenchmarkInfrastructure infrastructure, SiloCluster cluster, ThroughputSettings settings)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly SyncStatistics _statistics = new(infrastructure.DataSource);

    public Task<RoundMeasurement> ConnectRoundAsync(CancellationToken ct)
    {
        var users = UserConnector.AddListeners(infrastructure.Spotify, settings.Users);
        return MeasureRoundAsync(() => UserConnector.ConnectAllAsync(cluster.Grains, users, settings.ConnectConcurrency, ct), ct);
    }

    public Task<RoundMeasurement> SyncAllRoundAsync(CancellationToken ct) =>
        MeasureRoundAsync(() => cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll), ct);

    private async Task<RoundMeasurement> MeasureRoundAsync(Func<Task> queueTheRound, CancellationToken ct)
    {
        var playsBefore = await _statistics.StoredPlaysAsync(ct);
        var startedAt = DateTimeOffset.UtcNow;
        var runtime = await SiloRuntimeCounters.ReadAsync(cluster.SiloUrls, ct);
        var cpu = CpuMeter.Start(cluster);
        await queueTheRound();
        var drain = await QueueDrain.WaitAsync(cluster.Coordinator, PollInterval, DrainTimeout, ct);
        var usage = cpu.Stop();
        var runtimeUsed = await SiloRuntimeCounters.ReadAsync(cluster.SiloUrls, ct) - runtime;
        var round = await _statistics.RoundSinceAsync(startedAt, ct);
        if (round.Users < settings.Users)
        {
            throw new InvalidOperationException($"only {round.Users} of {settings.Users} users synced in the round");
        }
        return new RoundMeasurement(
            round.Users,
            round.Succeeded,
            round.ElapsedSince(startedAt),
            await _statistics.StoredPlaysAsync(ct) - playsBefore,
            usage,
            round.P50,
            round.P99,
            drain.MeanInFlight,
            runtimeUsed);
    }

    // Generous: a 2-core machine busy with something else may well be ten times slower than the target.
    private TimeSpan DrainTimeout => TimeSpan.FromSeconds(120 + settings.Users / 10);
}
