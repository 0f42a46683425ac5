using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Two SpotifySync silo processes forming one cluster through PostgreSQL, and an Orleans client (ADO.NET
/// clustering, as the API uses) to call their grains. Each cluster gets its own cluster id, so a restarted
/// cluster never waits for the membership of a killed one to expire.
/// </summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    private const int SiloCount = 2;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly List<SiloProcess> _silos = [];
    private IHost? _client;

    private SiloCluster()
    {
    }

    public IGrainFactory Grains { get; private set; } = null!;

    public ISyncCoordinatorGrain Coordinator => Grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value);

    /// <summary>CPU time used so far by all silo processes together.</summary>
    public TimeSpan ProcessorTime => _silos.Aggregate(TimeSpan.Zero, (sum, silo) => sum + silo.ProcessorTime);

    /// <summary>Each silo's HTTP address (health, <c>/metrics</c>).</summary>
    public IEnumerable<Uri> SiloUrls => _silos.Select(s => s.HttpUrl);

    /// <summary>The last lines of every silo's log, for a failure message.</summary>
    public string Logs => string.Join("\n---\n", _silos.Select(s => s.Log));

    public static async Task<SiloCluster> StartAsync(BenchmarkInfrastructure infrastructure, string name, int callsPer30Seconds, CancellationToken ct)
    {
        var clusterId = $"{name}-{Guid.NewGuid():N}";
        var cluster = new SiloCluster();
        try
        {
            for (var i = 0; i < SiloCount; i++)
            {
                cluster._silos.Add(SiloProcess.Start(
                    $"{name}-silo-{i + 1}", SiloConfiguration.For(infrastructure, clusterId, callsPer30Seconds), infrastructure.LogDirectory));
            }
            await Task.WhenAll(cluster._silos.Select(s => s.WaitReadyAsync(ReadyTimeout))).WaitAsync(ct);
            await cluster.ConnectClientAsync(clusterId, infrastructure.ConnectionString, ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectClientAsync(string clusterId, string connectionString, CancellationToken ct)
    {
        _client = await AdoNetClusterClient.StartAsync(clusterId, connectionString, ct);
        Grains = _client.Services.GetRequiredService<IGrainFactory>();
    }

    /// <summary>Stops the client, then kills the silos (SIGKILL: the data they leave behind is not used again).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _client.StopAsync(stopTimeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The silos go next anyway.
            }
            _client.Dispose();
            _client = null;
        }
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        _silos.Clear();
    }
}
