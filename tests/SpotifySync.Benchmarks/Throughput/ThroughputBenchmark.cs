using System.Diagnostics;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// The whole run: one PostgreSQL, one emulator, and every scenario in order. Scenarios 1 and 2 share a cluster
/// without a call budget; scenario 3 restarts the silos with one; the peer loop of scenario 4 runs once no silo
/// is left to compete with it for the CPU.
/// </summary>
internal sealed class ThroughputBenchmark(ThroughputSettings settings, ProgressLog progress)
{
    /// <summary>How long the idle silos' own CPU use (timers, membership, late JIT) is measured, after the sync-all rounds.</summary>
    private static readonly TimeSpan IdleStretch = TimeSpan.FromSeconds(5);

    public async Task<ThroughputRun> RunAsync(CancellationToken ct)
    {
        progress.Say("starting PostgreSQL and the Spotify emulator");
        await using var infrastructure = await BenchmarkInfrastructure.StartAsync(ct);
        var machine = MachineDescription.Current(await infrastructure.PostgresVersionAsync(ct));

        RoundMeasurement connectRound;
        var warmUp = new List<RoundMeasurement>();
        var measured = new List<RoundMeasurement>();
        CpuUsage idleSilos;
        CoordinatorMeasurement coordinatorFirstPass, coordinator;
        progress.Say("starting 2 silos without a call budget");
        await using (var cluster = await SiloCluster.StartAsync(infrastructure, "throughput", callsPer30Seconds: 0, ct))
        {
            try
            {
                var endToEnd = new EndToEndScenario(infrastructure, cluster, settings);
                progress.Say($"1: connecting {settings.Users:N0} users ({settings.ConnectConcurrency} at a time), waiting for their first syncs");
                connectRound = await endToEnd.ConnectRoundAsync(ct);
                progress.Say($"1: first syncs {connectRound.UsersPerSecond:N0} users/s; sync-all rounds warm the silos up for {settings.WarmUp.TotalSeconds:0} s");
                var warmUpClock = Stopwatch.StartNew();
                while (warmUpClock.Elapsed < settings.WarmUp || warmUp.Count < 2)
                {
                    warmUp.Add(await endToEnd.SyncAllRoundAsync(ct));
                    progress.Say($"1: warm-up sync-all {warmUp.Count}: {warmUp[^1].UsersPerSecond:N0} users/s, {warmUp[^1].SiloCpuMsPerUser:0.00} ms silo CPU/user");
                }
                for (var i = 0; i < settings.MeasuredRounds; i++)
                {
                    measured.Add(await endToEnd.SyncAllRoundAsync(ct));
                    progress.Say($"1: measured sync-all {i + 1}: {measured[^1].UsersPerSecond:N0} users/s, {measured[^1].SiloCpuMsPerUser:0.00} ms silo CPU/user");
                }
                progress.Say($"1: the silos idle for {IdleStretch.TotalSeconds:0} s");
                idleSilos = await MeasureIdleAsync(cluster, ct);
                progress.Say($"2: the coordinator alone, {settings.CoordinatorUsers:N0} never-connected ids");
                var coordinatorScenario = new CoordinatorScenario(cluster, settings.CoordinatorUsers);
                coordinatorFirstPass = await coordinatorScenario.RunAsync(ct);
                progress.Say($"2: first pass (activating the grains) {coordinatorFirstPass.UsersPerSecond:N0} users/s; the same ids again");
                coordinator = await coordinatorScenario.RunAsync(ct);
                progress.Say($"2: {coordinator.UsersPerSecond:N0} users/s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"silo logs:\n{cluster.Logs}");
                throw;
            }
        }

        progress.Say("3: the call budget");
        var budget = await new BudgetScenario(infrastructure, settings).RunAsync(progress, ct);
        progress.Say($"3: {budget.ShareUsed:P1} of the budget used, {budget.Answers429} 429s");

        var peers = new PeerLoopScenario(infrastructure);
        progress.Say($"4: the peer loop with its {PeerLoopScenario.PeerSleep.TotalSeconds:0} s sleep, {settings.PeerUsersWithSleep} users");
        var peerWithSleep = await peers.RunAsync(settings.PeerUsersWithSleep, PeerLoopScenario.PeerSleep, ct);
        progress.Say($"4: the peer loop without the sleep, {settings.PeerUsersWithoutSleep} users");
        var peerWithoutSleep = await peers.RunAsync(settings.PeerUsersWithoutSleep, TimeSpan.Zero, ct);

        progress.Say("done; stopping everything");
        return new ThroughputRun(settings, machine, connectRound, warmUp, measured, idleSilos, coordinatorFirstPass, coordinator, budget, peerWithSleep, peerWithoutSleep);
    }

    private static async Task<CpuUsage> MeasureIdleAsync(SiloCluster cluster, CancellationToken ct)
    {
        var cpu = CpuMeter.Start(cluster);
        await Task.Delay(IdleStretch, ct);
        return cpu.Stop();
    }
}
