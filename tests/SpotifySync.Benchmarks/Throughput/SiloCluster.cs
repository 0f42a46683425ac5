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

    private readonly List<ServiceProcess> _silos = [];
    private readonly List<ServiceProcess> _others = [];
    private readonly BenchmarkInfrastructure _infrastructure;
    private readonly Dictionary<string, string> _configuration;
    private readonly string _name;
    private IHost? _client;

    private SiloCluster(BenchmarkInfrastructure infrastructure, string name, Dictionary<string, string> configuration)
    {
        _infrastructure = infrastructure;
        _name = name;
        _configuration = configuration;
    }

    public IGrainFactory Grains { get; private set; } = null!;

    public ISyncCoordinatorGrain Coordinator => Grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value);

    /// <summary>CPU time used so far by all silo processes together.</summary>
    public TimeSpan ProcessorTime => _silos.Aggregate(TimeSpan.Zero, (sum, silo) => sum + silo.ProcessorTime);

    /// <summary>Each silo's HTTP address (health, <c>/metrics</c>).</summary>
    public IEnumerable<Uri> SiloUrls => _silos.Select(s => s.HttpUrl);

    /// <summary>The silo processes, in start order (a killed one stays in the list until disposal).</summary>
    public IReadOnlyList<ServiceProcess> Silos => _silos;

    /// <summary>The Orleans cluster id the silos (and an API started with <see cref="StartApiAsync"/>) join.</summary>
    public string ClusterId => _configuration["Orleans:ClusterId"];

    /// <summary>The last lines of every silo's log, for a failure message.</summary>
    public string Logs => string.Join("\n---\n", _silos.Select(s => s.Log));

    /// <param name="overrides">Settings on top of <see cref="SiloConfiguration.For"/>, e.g. the sync interval.</param>
    public static async Task<SiloCluster> StartAsync(
        BenchmarkInfrastructure infrastructure, string name, int callsPer30Seconds, CancellationToken ct, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var clusterId = $"{name}-{Guid.NewGuid():N}";
        var configuration = SiloConfiguration.For(infrastructure, clusterId, callsPer30Seconds);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }
        var cluster = new SiloCluster(infrastructure, name, configuration);
        try
        {
            for (var i = 0; i < SiloCount; i++)
            {
                cluster.StartSilo();
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

    /// <summary>Starts one more silo (its own ports) and returns how long it took to answer <c>/health/ready</c>.</summary>
    public async Task<TimeSpan> AddSiloAsync(CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var silo = StartSilo();
        await silo.WaitReadyAsync(ReadyTimeout).WaitAsync(ct);
        return started.Elapsed;
    }

    /// <summary>
    /// Starts the API (<c>SpotifySync.Api</c>, an Orleans client of this cluster) in Production with one API key and
    /// waits until it is ready.
    /// </summary>
    public async Task<ServiceProcess> StartApiAsync(string apiKey, CancellationToken ct)
    {
        var api = ServiceProcess.StartApi($"{_name}-api", new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = _infrastructure.ConnectionString,
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = _configuration["Orleans:ServiceId"],
            ["Api:Keys:0"] = apiKey,
            // The load generator is one app backend with one key doing what 100,000 users' backends would: the
            // per-key limit (there against a runaway loop) would measure itself, not the API.
            ["Api:RateLimit:PermitLimit"] = "100000000",
            ["environment"] = "Production",
            ["Logging:LogLevel:Default"] = "Warning",
        }, _infrastructure.LogDirectory);
        _others.Add(api);
        await api.WaitReadyAsync(ReadyTimeout).WaitAsync(ct);
        return api;
    }

    private ServiceProcess StartSilo()
    {
        var configuration = new Dictionary<string, string>(_configuration)
        {
            ["Orleans:SiloPort"] = FreeTcpPort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreeTcpPort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var silo = ServiceProcess.StartSilo($"{_name}-silo-{_silos.Count + 1}", configuration, _infrastructure.LogDirectory);
        _silos.Add(silo);
        return silo;
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
        foreach (var process in _others.Concat(_silos))
        {
            await process.DisposeAsync();
        }
        _others.Clear();
        _silos.Clear();
    }
}
