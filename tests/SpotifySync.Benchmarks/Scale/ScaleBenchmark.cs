using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using SpotifySync.Benchmarks.Throughput;
using SpotifySync.SpotifyEmulator;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// The scale run: 2 silo processes, the API process, PostgreSQL and the emulator on this machine; N users connected
/// through the API, then each figure of issue 14 in turn (see <see cref="RunAsync"/>). Nothing is asserted: figures.
/// </summary>
internal sealed class ScaleBenchmark(ScaleSettings settings, ProgressLog progress)
{
    private const string ApiKey = "scale-benchmark-api-key-0123456789";

    /// <summary>Generous: the emulator is the only Spotify here, and the budget is issue 13's subject, not this one's.</summary>
    private const int CallBudget = 1_000_000;

    private static readonly EmulatorUserSettings Listener = new() { InitialPlays = 50, PlayInterval = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Two clusters on one database (one Orleans service, so the second finds the first's reminders and queue). The
    /// <em>paced</em> one has Spotify's call budget of an hourly schedule at this size, as a deployment would: the app's
    /// requests are timed while syncs run at that pace, not while they take every core. It is then killed (-9) and
    /// the <em>unpaced</em> one started: its start is timed with every reminder in the table, and it drains the first
    /// syncs left and a sync-all as fast as the machine can (issue 13's throughput), then goes idle for the memory figures.
    /// </summary>
    public async Task<ScaleRun> RunAsync(CancellationToken ct)
    {
        progress.Say($"starting PostgreSQL and the emulator; {settings.Users:N0} users");
        await using var infrastructure = await BenchmarkInfrastructure.StartAsync(ct);
        var machine = MachineDescription.Current(await infrastructure.PostgresVersionAsync(ct));
        var users = Enumerable.Range(0, settings.Users).Select(i => infrastructure.Spotify.AddUser($"listener-{i:D6}", Listener)).ToArray();
        var serviceId = $"scale-{Guid.NewGuid():N}";
        var overrides = new Dictionary<string, string>
        {
            ["Orleans:ServiceId"] = serviceId,
            // A day between scheduled syncs: the reminders exist (that is what is measured) but few fire during the run.
            ["Sync:Interval"] = "1.00:00:00",
            ["Sync:IdleUserCollectionAge"] = settings.IdleCollectionAge.ToString("c"),
            ["Sync:IdleUserCollectionQuantum"] = settings.IdleCollectionQuantum.ToString("c"),
        };

        progress.Say($"starting the paced cluster (2 silos, {settings.PacedCallsPer30Seconds:N0} calls per 30 s) and the API");
        var paced = await SiloCluster.StartAsync(infrastructure, "paced", settings.PacedCallsPer30Seconds, ct, overrides);
        LatencySummary connects, closedLoop;
        OpenLoopResult openLoop;
        IReadOnlyList<PauseSample> openLoopPauses;
        ProcessCpuSplit connectsCpu, openLoopCpu;
        SiloRuntimeCounters connectsRuntime, openLoopRuntime;
        PostgresTransactions connectsTransactions;
        WarmUp warmUp;
        RequestDurationHistogram openLoopServer, connectsServer;
        SiloMemory fresh, afterConnects;
        try
        {
            var api = await paced.StartApiAsync(ApiKey, ct);
            using var http = ApiClient(api);
            var load = new ApiLoad(http);
            // Read before the warm-up: its grains are still in memory right after it (JIT'd code is not on the heap).
            fresh = await SiloMemory.ReadAsync(paced, paced.Silos, ct);
            progress.Say($"warming up for {settings.WarmUp.TotalSeconds:0} s, then until the silos' JIT settles (at most {settings.MaxWarmUp.TotalSeconds:0} s)");
            warmUp = await WarmUpAsync(load, infrastructure.Spotify, paced, ct);

            progress.Say($"connecting {settings.Users:N0} users through the API, {settings.Clients} clients");
            var runtimeBefore = await SiloRuntimeCounters.ReadAsync(paced.SiloUrls, ct);
            var connectsServerBefore = await ConnectDurationsAsync(http, ct);
            var connectsCpuSince = ProcessCpuSplit.Start(paced, api);
            var transactionsBefore = await PostgresTransactions.ReadAsync(infrastructure.DataSource, ct);
            connects = await load.EachOnceAsync(users, settings.Clients,
                user => new HttpRequestMessage(HttpMethod.Put, $"api/users/{user.UserId}/spotify") { Content = JsonContent.Create(new { refreshToken = user.RefreshToken }) },
                r => r.StatusCode == HttpStatusCode.OK, ct);
            connectsCpu = connectsCpuSince();
            connectsTransactions = await PostgresTransactions.ReadAsync(infrastructure.DataSource, ct) - transactionsBefore;
            connectsRuntime = await SiloRuntimeCounters.ReadAsync(paced.SiloUrls, ct) - runtimeBefore;
            connectsServer = (await ConnectDurationsAsync(http, ct)).Since(connectsServerBefore);
            progress.Say($"  {connects.PerSecond:N0} connects/s, p99 {connects.P99.TotalMilliseconds:N0} ms, {connects.Failures} failed");
            afterConnects = await SiloMemory.ReadAsync(paced, paced.Silos, ct);

            var pressed = users.Take(settings.ManualSyncUsers).Select(u => u.UserId).ToArray();
            HttpRequestMessage Press() => new(HttpMethod.Post, $"api/users/{pressed[Random.Shared.Next(pressed.Length)]}/sync");
            // 202: queued. 200: pressed again within the cooldown after the sync it let through had finished, which
            // answers with that sync's outcome (pressed users do sync meanwhile, at the paced cluster's budget).
            static bool Answered(HttpResponseMessage r) => r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK;
            progress.Say($"manual syncs closed-loop, {settings.Clients} clients, {settings.ClosedLoopDuration.TotalSeconds:0} s");
            closedLoop = await load.ForAsync(settings.ClosedLoopDuration, settings.Clients, Press, Answered, ct);
            progress.Say($"  {closedLoop.PerSecond:N0}/s, p99 {closedLoop.P99.TotalMilliseconds:N1} ms; open-loop at {settings.OpenLoopRate}/s");
            var serverBefore = await ManualSyncDurationsAsync(http, ct);
            var openLoopRuntimeBefore = await SiloRuntimeCounters.ReadAsync(paced.SiloUrls, ct);
            var openLoopCpuSince = ProcessCpuSplit.Start(paced, api);
            var openLoopSampler = new PauseSampler([.. paced.SiloUrls]);
            try
            {
                openLoop = await load.OpenLoopAsync(settings.OpenLoopRate, settings.OpenLoopDuration, Press, Answered, ct);
                openLoopCpu = openLoopCpuSince();
            }
            finally
            {
                await openLoopSampler.DisposeAsync();
            }
            openLoopPauses = openLoopSampler.Samples;
            openLoopRuntime = await SiloRuntimeCounters.ReadAsync(paced.SiloUrls, ct) - openLoopRuntimeBefore;
            openLoopServer = (await ManualSyncDurationsAsync(http, ct)).Since(serverBefore);
            progress.Say($"  p99 {openLoop.Answers.P99.TotalMilliseconds:N1} ms (sends late by p99 {openLoop.SendLateness.P99.TotalMilliseconds:N1} ms); the API's own histogram: p99 at most {openLoopServer.QuantileAtMost(0.99)?.TotalMilliseconds:N1} ms");
            foreach (var slow in SlowSecond.Slowest(openLoop, openLoopPauses, 10))
            {
                progress.Say($"  second {slow.Second}: worst {slow.WorstAnswer.TotalMilliseconds:N0} ms, latest send {slow.LatestSend.TotalMilliseconds:N0} ms; " +
                    $"GC pauses: benchmark {slow.BenchmarkGcPauses.TotalMilliseconds:N0} ms ({slow.BenchmarkGen2Collections} gen2), silos {slow.SiloGcPauses.TotalMilliseconds:N0} ms; " +
                    $"user grains {slow.UserGrainsBefore:N0} -> {slow.UserGrainsAfter:N0}");
            }
            SayCollections(openLoopPauses);
        }
        finally
        {
            await paced.DisposeAsync(); // SIGKILL: its reminders and queue stay in PostgreSQL for the next cluster
        }

        progress.Say("starting the unpaced cluster on the same tables");
        var leftOver = await QueuedSyncsAsync(infrastructure.DataSource, ct);
        var clusterClock = Stopwatch.StartNew();
        await using var cluster = await SiloCluster.StartAsync(infrastructure, "unpaced", CallBudget, ct, overrides);
        var clusterStart = clusterClock.Elapsed;
        progress.Say($"  ready in {clusterStart.TotalSeconds:N1} s with {settings.Users:N0} reminders; draining {leftOver:N0} queued syncs");
        var drainClock = Stopwatch.StartNew();
        await QueueDrain.WaitAsync(cluster.Coordinator, TimeSpan.FromMilliseconds(500), TimeSpan.FromHours(2), ct);
        var leftOverDrain = drainClock.Elapsed;

        progress.Say("sync-all through the API");
        var unpacedApi = await cluster.StartApiAsync(ApiKey, ct);
        using var unpacedHttp = ApiClient(unpacedApi);
        var resyncStart = DateTimeOffset.UtcNow;
        var syncAllClock = Stopwatch.StartNew();
        using var syncAll = await unpacedHttp.PostAsync("api/spotify/sync-all-users", null, ct);
        var syncAllAnswer = syncAllClock.Elapsed;
        syncAll.EnsureSuccessStatusCode();
        var queued = (await syncAll.Content.ReadFromJsonAsync<SyncAllAnswer>(ct))!.NewlyQueued;
        await QueueDrain.WaitAsync(cluster.Coordinator, TimeSpan.FromMilliseconds(500), TimeSpan.FromHours(2), ct);
        var resyncDrain = syncAllClock.Elapsed;
        var syncedTwice = await UsersSyncedSinceAsync(infrastructure.DataSource, resyncStart, ct);
        progress.Say($"  answered in {syncAllAnswer.TotalMilliseconds:N0} ms, {queued:N0} queued, drained in {resyncDrain.TotalSeconds:N0} s");

        var idleWait = settings.IdleWait;
        progress.Say($"waiting {idleWait.TotalSeconds:0} s for idle user grains to leave memory");
        var idleSampler = new PauseSampler([.. cluster.SiloUrls]);
        try
        {
            await Task.Delay(idleWait, ct);
        }
        finally
        {
            await idleSampler.DisposeAsync();
        }
        SayCollections(idleSampler.Samples);
        var idle = await SiloMemory.ReadAsync(cluster, cluster.Silos, ct);
        var storage = await StorageFootprint.ReadAsync(infrastructure.DataSource, ct);
        progress.Say($"  heap {(idle.HeapBytes - fresh.HeapBytes) / (double)settings.Users:N0} B per user, {idle.UserActivations:N0} user grains active");

        progress.Say("kill -9 of one silo, a new silo started with every reminder in the table");
        cluster.Silos[1].Kill();
        var restartReady = await cluster.AddSiloAsync(ct);
        // The new silo takes its share of the reminder ring once the membership has dropped the dead silo.
        await Task.Delay(TimeSpan.FromSeconds(45), ct);
        var restarted = await SiloMemory.ReadAsync(cluster, [cluster.Silos[^1]], ct);
        progress.Say($"  ready in {restartReady.TotalSeconds:N1} s");

        progress.Say($"commit cost: empty listening_data, then {settings.CommitCostTableRows:N0} rows");
        await cluster.DisposeAsync();
        var commitCost = await CommitCost.MeasureAsync(infrastructure.Postgres, settings.CommitCostTableRows, settings.CommitsTimed, progress.Say, ct);

        return new ScaleRun
        {
            Settings = settings,
            Machine = machine,
            Fresh = fresh,
            WarmUp = warmUp,
            Connects = connects,
            ConnectsCpu = connectsCpu,
            ConnectsRuntime = connectsRuntime,
            ConnectsTransactions = connectsTransactions,
            ConnectsServer = connectsServer,
            AfterConnects = afterConnects,
            ManualClosedLoop = closedLoop,
            ManualOpenLoop = openLoop,
            ManualOpenLoopServer = openLoopServer,
            ManualOpenLoopCpu = openLoopCpu,
            ManualOpenLoopRuntime = openLoopRuntime,
            ManualOpenLoopPauses = openLoopPauses,
            ClusterStart = clusterStart,
            LeftOverFirstSyncs = leftOver,
            LeftOverDrain = leftOverDrain,
            SyncAllAnswer = syncAllAnswer,
            SyncAllQueued = queued,
            ResyncDrain = resyncDrain,
            UsersSyncedTwice = syncedTwice,
            Idle = idle,
            Storage = storage,
            RestartReady = restartReady,
            RestartedSiloAfterReady = restarted,
            CommitCost = commitCost,
        };
    }

    /// <summary>How Orleans' collector took the idle grains out: every second in which the silos' user grains fell.</summary>
    private void SayCollections(IReadOnlyList<PauseSample> samples)
    {
        for (var i = 1; i < samples.Count; i++)
        {
            var (before, after) = (samples[i - 1], samples[i]);
            if (after.UserGrainsInMemory < before.UserGrainsInMemory)
            {
                progress.Say($"  +{Stopwatch.GetElapsedTime(samples[0].Timestamp, after.Timestamp).TotalSeconds:0} s: user grains {before.UserGrainsInMemory:N0} -> {after.UserGrainsInMemory:N0}; " +
                    $"silo CPU {(after.SiloCpu - before.SiloCpu).TotalMilliseconds:N0} ms, GC pauses {(after.SiloGcPauses - before.SiloGcPauses).TotalMilliseconds:N0} ms over {Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds:N1} s");
            }
        }
    }

    private static HttpClient ApiClient(Testing.ServiceProcess api)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = api.HttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return http;
    }

    private static async Task<RequestDurationHistogram> ManualSyncDurationsAsync(HttpClient http, CancellationToken ct) =>
        RequestDurationHistogram.Parse(await http.GetStringAsync("metrics", ct), "POST", "/api/users/{userId}/sync");

    private static async Task<RequestDurationHistogram> ConnectDurationsAsync(HttpClient http, CancellationToken ct) =>
        RequestDurationHistogram.Parse(await http.GetStringAsync("metrics", ct), "PUT", "/api/users/{userId}/spotify");

    private static async Task<long> QueuedSyncsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM sync_queue");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Fresh processes compile (and recompile, tier by tier: with dynamic PGO each hot method is compiled three times)
    /// for their first minutes of load, which a running service has long finished: before anything is timed, rounds of
    /// throwaway users are connected, their "Sync Data" pressed and then disconnected, for at least
    /// <see cref="ScaleSettings.WarmUp"/> and then until the silos' JIT compilation in a round falls to
    /// <see cref="ScaleSettings.SettledJitShare"/> of each silo's time (at most <see cref="ScaleSettings.MaxWarmUp"/>).
    /// Disconnected, they hold no reminder and are not synced again; their grains are idle like everyone's by the
    /// time memory is read.
    /// </summary>
    private async Task<WarmUp> WarmUpAsync(ApiLoad load, EmulatorState spotify, SiloCluster silos, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        var round = settings.WarmUpRound;
        double jitShare;
        do
        {
            var jitBefore = await SiloRuntimeCounters.ReadAsync(silos.SiloUrls, ct);
            var roundClock = Stopwatch.StartNew();
            var connected = new System.Collections.Concurrent.ConcurrentQueue<string>();
            await load.ForAsync(round * 0.6, settings.Clients, () =>
            {
                var user = spotify.AddUser($"warm-up-{Interlocked.Increment(ref next):D6}", Listener);
                connected.Enqueue(user.UserId);
                return new HttpRequestMessage(HttpMethod.Put, $"api/users/{user.UserId}/spotify") { Content = JsonContent.Create(new { refreshToken = user.RefreshToken }) };
            }, r => r.IsSuccessStatusCode, ct);
            var roundUsers = connected.ToArray();
            await load.ForAsync(round * 0.2, settings.Clients,
                () => new HttpRequestMessage(HttpMethod.Post, $"api/users/{roundUsers[Random.Shared.Next(roundUsers.Length)]}/sync"), r => r.IsSuccessStatusCode, ct);
            await load.EachOnceAsync(roundUsers, settings.Clients,
                userId => new HttpRequestMessage(HttpMethod.Delete, $"api/users/{userId}/spotify"), r => r.IsSuccessStatusCode, ct);
            var jit = (await SiloRuntimeCounters.ReadAsync(silos.SiloUrls, ct) - jitBefore).JitCompilation;
            jitShare = jit / (roundClock.Elapsed * silos.Silos.Count);
            progress.Say($"  {clock.Elapsed.TotalSeconds:0} s: {roundUsers.Length:N0} throwaway users this round; JIT {jitShare:P0} of each silo's time");
        }
        while (clock.Elapsed < settings.MaxWarmUp && (clock.Elapsed < settings.WarmUp || jitShare > settings.SettledJitShare));
        return new WarmUp(clock.Elapsed, next, jitShare);
    }

    private static async Task<long> UsersSyncedSinceAsync(NpgsqlDataSource dataSource, DateTimeOffset since, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM spotify_users WHERE last_sync_outcome = 'succeeded' AND last_sync_completed_at >= @since");
        command.Parameters.AddWithValue("since", since);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private sealed record SyncAllAnswer(int UsersFound, int NewlyQueued);
}
