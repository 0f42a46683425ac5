using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Scenario 3: a freshly started cluster with <c>Spotify:CallsPer30Seconds</c> = B against an emulator that allows
/// exactly B calls per rolling 30 s and answers after 150–200 ms. Demand stays above the budget (a sync-all every
/// few seconds of more users than B allows); after a warm-up of one window the stretch that follows is measured.
/// </summary>
internal sealed class BudgetScenario(BenchmarkInfrastructure infrastructure, ThroughputSettings settings)
{
    private static readonly TimeSpan SyncAllEvery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SpotifyWindow = TimeSpan.FromSeconds(30);

    public async Task<BudgetMeasurement> RunAsync(ProgressLog progress, CancellationToken ct)
    {
        progress.Say($"starting 2 new silos with Spotify:CallsPer30Seconds={settings.CallBudget}");
        await using var cluster = await SiloCluster.StartAsync(infrastructure, "budget", settings.CallBudget, ct);
        var spotify = infrastructure.Spotify;
        var faults = spotify.Faults;
        try
        {
            faults.Reset();
            faults.Latency = TimeSpan.FromMilliseconds(150);
            faults.LatencyJitter = TimeSpan.FromMilliseconds(50);
            faults.WindowLength = SpotifyWindow;
            faults.WindowLimit = settings.CallBudget;
            spotify.ClearRequests();

            var measuredFrom = DateTimeOffset.UtcNow + settings.BudgetWarmUp;
            var end = measuredFrom + settings.BudgetMeasurement;
            progress.Say($"load above the budget: {settings.BudgetWarmUp.TotalSeconds:0} s warm-up, then {settings.BudgetMeasurement.TotalSeconds:0} s measured");
            while (DateTimeOffset.UtcNow < end)
            {
                await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
                var left = end - DateTimeOffset.UtcNow;
                await Task.Delay(left < SyncAllEvery ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : SyncAllEvery, ct);
            }

            // Read at once: the window that ends now is the last 30 s of the load.
            var callsInLastWindow = faults.WindowCount;
            var budget = (await cluster.Coordinator.GetStatusAsync()).CallBudget;
            var requests = spotify.Requests;
            var measured = requests.Where(r => r.ReceivedAt >= measuredFrom && r.ReceivedAt < end && r.StatusCode != 429).ToList();
            return new BudgetMeasurement(
                settings.CallBudget,
                settings.BudgetMeasurement,
                callsInLastWindow,
                budget?.SentInLast30Seconds ?? 0,
                faults.MaxWindowCount,
                faults.WindowRefusals,
                requests.Count(r => r.StatusCode == 429),
                measured.Count(r => r.Path.EndsWith("/recently-played", StringComparison.Ordinal)),
                measured.Count(r => r.Path.EndsWith("/api/token", StringComparison.Ordinal)),
                budget?.Effective ?? 0);
        }
        finally
        {
            faults.Reset();
        }
    }
}
