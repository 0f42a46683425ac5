using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Cluster;

/// <summary>
/// Silos as separate operating-system processes, as they run in production: the cluster forms through
/// PostgreSQL, survives a silo killed with SIGKILL, honours <c>Sync:Enabled=false</c>, and a silo started with
/// <c>Sync:RunOnStartup=true</c> queues every active user.
/// </summary>
[Collection(SyncClusterCollection.Name)]
public sealed class MultiProcessClusterTests(SyncCluster shared) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(4);
    private readonly string _logDirectory = Directory.CreateTempSubdirectory("spotifysync-silos-").FullName;
    private readonly List<ServiceProcess> _silos = [];
    private readonly string _clusterId = $"multiprocess-{Guid.NewGuid():N}";
    private string _connectionString = "";
    private IHost? _client;

    public async Task InitializeAsync()
    {
        _connectionString = await shared.Postgres.CreateDatabaseAsync("multiprocess");
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        Directory.Delete(_logDirectory, recursive: true);
    }

    [Fact]
    public async Task Separate_silo_processes_form_one_cluster_survive_a_killed_silo_and_honour_enabled_and_run_on_startup()
    {
        var a = await StartSiloAsync("silo-a", runOnStartup: false);
        await StartSiloAsync("silo-b", runOnStartup: false);
        var grains = await ConnectClientAsync();

        string[] users = ["mp-user-1", "mp-user-2", "mp-user-3"];
        var connectedAt = DateTimeOffset.UtcNow;
        foreach (var userId in users)
        {
            var user = shared.Spotify.AddUser(userId);
            await grains.GetGrain<IUserSyncGrain>(userId).ConnectAsync(new SpotifyConnection(user.RefreshToken));
        }
        foreach (var userId in users)
        {
            await WaitForAsync(grains, userId, s => s.LastSyncCompletedAt >= connectedAt, "the first sync after connect");
        }

        // Sync:Enabled=false: reminders tick (every 4 s here) but queue nothing.
        await Task.Delay(Interval * 2 + TimeSpan.FromSeconds(1));
        foreach (var userId in users)
        {
            var status = await grains.GetGrain<IUserSyncGrain>(userId).GetStatusAsync();
            Assert.Equal((1L, "connect"), (status.TotalSyncs, status.LastTrigger));
        }

        // SIGKILL one silo: manual syncs must go on through the other once the cluster has noticed.
        a.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        foreach (var userId in users)
        {
            await WaitForAsync(grains, userId, s => s.LastSyncCompletedAt >= killedAt, "a manual sync after the kill",
                requestManualSync: true, timeout: TimeSpan.FromSeconds(90));
        }

        // A silo started with Sync:RunOnStartup queues every active user.
        var startedAt = DateTimeOffset.UtcNow;
        await StartSiloAsync("silo-c", runOnStartup: true);
        foreach (var userId in users)
        {
            var status = await WaitForAsync(grains, userId, s => s.LastSyncCompletedAt >= startedAt, "a sync queued by RunOnStartup");
            Assert.Equal("startup", status.LastTrigger);
            Assert.Equal("succeeded", status.LastSyncOutcome);
        }

        // Every run is measurable: the surviving silo, which ran every sync while it was alone, exports them.
        using (var http = new HttpClient { BaseAddress = _silos[1].HttpUrl })
        {
            var metrics = await http.GetStringAsync("metrics");
            Assert.Contains("spotifysync_user_syncs", metrics);
            Assert.Contains("spotifysync_user_sync_duration", metrics);
        }

        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        Assert.Equal(0, await new ListeningDatabase(dataSource).DuplicateRowGroupsAsync());
        foreach (var userId in users)
        {
            Assert.Equal(shared.Spotify.PlaysOf(userId).Count, await new ListeningDatabase(dataSource).CountAsync(userId));
        }
    }

    [Fact]
    public async Task After_a_silo_is_killed_the_survivor_fires_every_users_reminder_and_each_user_keeps_being_synced_on_schedule()
    {
        var scheduled = new Dictionary<string, string> { ["Sync:Enabled"] = "true" };
        var a = await StartSiloAsync("silo-a", runOnStartup: false, scheduled);
        await StartSiloAsync("silo-b", runOnStartup: false, scheduled);
        var grains = await ConnectClientAsync();
        var users = Enumerable.Range(1, 20).Select(i => $"reminder-user-{i}").ToArray();
        foreach (var userId in users)
        {
            var user = shared.Spotify.AddUser(userId);
            await grains.GetGrain<IUserSyncGrain>(userId).ConnectAsync(new SpotifyConnection(user.RefreshToken));
        }
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        // Reminders are spread over the ring: with 20 users, about half lived on the silo about to die.
        await UntilEveryUserHasAScheduledSyncAfterAsync(dataSource, users, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60), "a scheduled sync before the kill");

        a.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        // The survivor must first declare the dead silo dead (two missed 2 s probes here), then take its reminder range.
        await UntilEveryUserHasAScheduledSyncAfterAsync(dataSource, users, killedAt, TimeSpan.FromSeconds(60), "a scheduled sync after the kill");
        var allBackAt = DateTimeOffset.UtcNow;
        // And from then on, each within its interval (4 s here), with room for a busy machine.
        await UntilEveryUserHasAScheduledSyncAfterAsync(dataSource, users, allBackAt, Interval * 3, "the next scheduled sync on the survivor");
        Assert.Equal(0, await new ListeningDatabase(dataSource).DuplicateRowGroupsAsync());
    }

    [Fact]
    public async Task A_silo_with_a_bad_setting_refuses_to_start_and_names_the_key()
    {
        var silo = ServiceProcess.StartSilo("silo-misconfigured", SiloConfiguration(runOnStartup: false, new()
        {
            ["Security:TokenEncryptionKey"] = "too-short",
            ["Sync:SpacingBetweenUsers"] = "-00:00:01",
        }), _logDirectory);
        _silos.Add(silo);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.WaitReadyAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("Security:TokenEncryptionKey", error.Message);
        Assert.Contains("Sync:SpacingBetweenUsers", error.Message);
    }

    private async Task<ServiceProcess> StartSiloAsync(string name, bool runOnStartup, Dictionary<string, string>? overrides = null)
    {
        var silo = ServiceProcess.StartSilo(name, SiloConfiguration(runOnStartup, overrides), _logDirectory);
        _silos.Add(silo);
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    private Dictionary<string, string> SiloConfiguration(bool runOnStartup, Dictionary<string, string>? overrides = null)
    {
        var configuration = new Dictionary<string, string>(shared.Configuration())
        {
            ["ConnectionStrings:Postgres"] = _connectionString,
            ["Orleans:ClusterId"] = _clusterId,
            ["Orleans:ServiceId"] = _clusterId,
            ["Orleans:SiloPort"] = FreeTcpPort.Pick().ToString(),
            ["Orleans:GatewayPort"] = FreeTcpPort.Pick().ToString(),
            ["Orleans:ReminderOptions:MinimumReminderPeriod"] = "00:00:01",
            ["Orleans:Membership:ProbeTimeout"] = "00:00:02",
            ["Orleans:Membership:NumMissedProbesLimit"] = "2",
            ["Sync:Interval"] = Interval.ToString("c"),
            ["Sync:Enabled"] = "false",
            ["Sync:RunOnStartup"] = runOnStartup ? "true" : "false",
            ["Sync:StartClaimTimeout"] = "00:00:03",
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            configuration[key] = value;
        }
        return configuration;
    }

    /// <summary>Watched in the table, not through the grains: a call would activate a grain without its reminder.</summary>
    private async Task UntilEveryUserHasAScheduledSyncAfterAsync(NpgsqlDataSource dataSource, string[] users, DateTimeOffset after, TimeSpan timeout, string what)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT user_id FROM spotify_users
            WHERE user_id = ANY(@users)
              AND NOT (last_sync_trigger = 'scheduled' AND last_sync_outcome = 'succeeded' AND last_sync_completed_at > @after)
            """);
        command.Parameters.AddWithValue("users", users);
        command.Parameters.AddWithValue("after", after);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var waiting = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    waiting.Add(reader.GetString(0));
                }
            }
            if (waiting.Count == 0)
            {
                return;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{waiting.Count} users without {what} within {timeout.TotalSeconds:0}s: {string.Join(", ", waiting)}. Silo logs:\n{string.Join("\n---\n", _silos.Select(s => s.Log))}");
            }
            await Task.Delay(200);
        }
    }

    private async Task<IGrainFactory> ConnectClientAsync()
    {
        _client = await AdoNetClusterClient.StartAsync(_clusterId, _connectionString);
        return _client.Services.GetRequiredService<IGrainFactory>();
    }

    private async Task<UserSyncStatus> WaitForAsync(
        IGrainFactory grains, string userId, Func<UserSyncStatus, bool> done, string what, bool requestManualSync = false, TimeSpan? timeout = null)
    {
        var grain = grains.GetGrain<IUserSyncGrain>(userId);
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var nextRequest = DateTimeOffset.MinValue;
        while (true)
        {
            try
            {
                if (requestManualSync && DateTimeOffset.UtcNow >= nextRequest)
                {
                    await grain.RequestSyncAsync(SyncTrigger.Manual);
                    nextRequest = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
                }
                var status = await grain.GetStatusAsync();
                if (done(status))
                {
                    return status;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The cluster has not yet noticed the killed silo: calls to grains that lived there fail for a while.
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{userId}: no {what}. Silo logs:\n{string.Join("\n---\n", _silos.Select(s => s.Log))}");
            }
            await Task.Delay(200);
        }
    }
}
