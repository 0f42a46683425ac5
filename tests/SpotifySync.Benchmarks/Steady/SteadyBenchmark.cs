using Npgsql;
using SpotifySync.Benchmarks.Scale;
using SpotifySync.Benchmarks.Throughput;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.Benchmarks.Steady;

/// <summary>
/// Steady state from reminders alone: N users connected (their first syncs drained), then nothing but their
/// persistent reminders for two intervals, no sync-all and no call budget. Spotify (the emulator) records every
/// recently-played read, so each user's syncs are set against its reminder's due times (the anchor the grain stored).
/// </summary>
internal sealed class SteadyBenchmark(SteadySettings settings, ProgressLog progress)
{
    /// <summary>A play every 3 minutes: a few per interval, never the 50 that would add a gap follow-up sync.</summary>
    private static readonly EmulatorUserSettings Listener = new() { InitialPlays = 50, PlayInterval = TimeSpan.FromMinutes(3) };

    public async Task<SteadyRun> RunAsync(CancellationToken ct)
    {
        progress.Say($"starting PostgreSQL, the emulator and 2 silos; {settings.Users:N0} users every {settings.Interval}");
        await using var infrastructure = await BenchmarkInfrastructure.StartAsync(ct);
        var machine = MachineDescription.Current(await infrastructure.PostgresVersionAsync(ct));
        var users = Enumerable.Range(0, settings.Users).Select(i => infrastructure.Spotify.AddUser($"listener-{i:D6}", Listener)).ToArray();
        await using var cluster = await SiloCluster.StartAsync(infrastructure, "steady", callsPer30Seconds: 0, ct, new Dictionary<string, string>
        {
            ["Sync:Enabled"] = "true",
            ["Sync:Interval"] = settings.Interval.ToString("c"),
            ["Sync:MissedSyncCheckPeriod"] = settings.MissedSyncCheck.ToString("c"),
            ["Sync:MissedSyncGrace"] = settings.MissedSyncCheck.ToString("c"),
        });

        progress.Say("connecting everyone and draining the first syncs");
        await UserConnector.ConnectAllAsync(cluster.Grains, users, concurrency: 64, ct);
        await QueueDrain.WaitAsync(cluster.Coordinator, TimeSpan.FromSeconds(1), TimeSpan.FromHours(2), ct);

        var from = DateTimeOffset.UtcNow;
        var judgeUntil = from + settings.Interval * settings.Intervals;
        var observedUntil = judgeUntil + settings.Interval * settings.LateShare + TimeSpan.FromSeconds(30);
        progress.Say($"watching the reminders alone until {observedUntil:HH:mm:ss} UTC");
        var memory = new List<(DateTimeOffset At, SiloMemory Memory)>();
        while (DateTimeOffset.UtcNow < observedUntil)
        {
            memory.Add((DateTimeOffset.UtcNow, await SiloMemory.ReadAsync(cluster, cluster.Silos, ct)));
            var last = memory[^1].Memory;
            progress.Say($"  heap {last.HeapBytes / 1048576.0:N0} MB, {last.UserActivations:N0} user grains in memory");
            // The readings took time: the end may have passed since the loop's test.
            var wait = observedUntil - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < settings.Interval / 4 ? wait : settings.Interval / 4, ct);
            }
        }
        memory.Add((DateTimeOffset.UtcNow, await SiloMemory.ReadAsync(cluster, cluster.Silos, ct)));
        var missedSyncsQueued = await MissedSyncsQueuedAsync(cluster.Silos, ct);

        var anchors = await AnchorsAsync(infrastructure.DataSource, ct);
        var reads = infrastructure.Spotify.Requests
            .Where(r => r.Path == "/v1/me/player/recently-played" && r.StatusCode == 200 && r.UserId is not null && r.ReceivedAt >= from)
            .ToLookup(r => r.UserId!, r => r.ReceivedAt);
        var adherence = users.Select(u => ScheduleAdherence.Of(anchors[u.UserId], settings.Interval, reads[u.UserId], from, judgeUntil, observedUntil, settings.Interval * settings.LateShare)).ToArray();
        var duplicates = await new ListeningDatabase(infrastructure.DataSource).DuplicateRowGroupsAsync();
        return new SteadyRun(settings, machine, from, observedUntil, users.Select(u => u.UserId).ToArray(), adherence, reads.Sum(g => g.Count()), memory, duplicates)
        {
            MissedSyncsQueued = missedSyncsQueued,
        };
    }

    /// <summary>The coordinator's missed-sync check at work (metric <c>spotifysync.schedule.missed_syncs</c>), all silos.</summary>
    private static async Task<long> MissedSyncsQueuedAsync(IEnumerable<Testing.ServiceProcess> silos, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        long queued = 0;
        foreach (var silo in silos)
        {
            var metrics = new MetricsText(await http.GetStringAsync(new Uri(silo.HttpUrl, "metrics"), ct));
            queued += (long)metrics.Sum("spotifysync_schedule_missed_syncs_total");
        }
        return queued;
    }

    private static async Task<Dictionary<string, DateTimeOffset>> AnchorsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, schedule_anchor FROM spotify_users WHERE state = 'active'");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var anchors = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            anchors[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }
        return anchors;
    }
}

internal sealed record SteadyRun(
    SteadySettings Settings,
    MachineDescription Machine,
    DateTimeOffset From,
    DateTimeOffset ObservedUntil,
    IReadOnlyList<string> UserIds,
    // In the order of UserIds.
    IReadOnlyList<ScheduleAdherence> Users,
    int Syncs,
    IReadOnlyList<(DateTimeOffset At, SiloMemory Memory)> Memory,
    int DuplicateGroups)
{
    /// <summary>Scheduled syncs the coordinator's missed-sync check queued (a tick Orleans skipped, a reminder lost).</summary>
    public long MissedSyncsQueued { get; init; }
}
