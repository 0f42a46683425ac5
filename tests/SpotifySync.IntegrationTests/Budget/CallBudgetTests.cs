using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;
using Xunit.Abstractions;

namespace SpotifySync.IntegrationTests.Budget;

/// <summary>The cluster's Spotify calls against the emulator's model of Spotify's limit: a per-app rolling 30-second window.</summary>
[Collection(BudgetClusterCollection.Name)]
public sealed class CallBudgetTests(BudgetCluster cluster, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan SpotifyWindow = TimeSpan.FromSeconds(30);

    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task With_the_budget_at_spotifys_limit_a_sustained_load_gets_no_429_and_uses_at_least_95_percent_of_it()
    {
        await WaitForAnIdleQueueAsync();
        cluster.Spotify.Faults.WindowLimit = BudgetCluster.Budget;
        cluster.Spotify.Faults.WindowLength = SpotifyWindow;
        cluster.Spotify.Faults.Latency = TimeSpan.FromMilliseconds(50);
        cluster.Spotify.Faults.LatencyJitter = TimeSpan.FromMilliseconds(100);
        var users = Enumerable.Range(1, 40).Select(i => $"budget-{i}").ToList();
        foreach (var userId in users)
        {
            await cluster.ConnectNewUserAsync(userId, new EmulatorUserSettings { InitialPlays = 5, PlayInterval = TimeSpan.FromMinutes(1) });
        }

        // Demand far above 2 calls a second for 50 s: the queue never runs dry.
        var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(50);
        try
        {
            while (DateTimeOffset.UtcNow < until)
            {
                await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
        finally
        {
            // The load ends with the test: no schedules left behind to compete with the next one.
            foreach (var userId in users)
            {
                await cluster.User(userId).DisconnectAsync();
            }
        }

        var faults = cluster.Spotify.Faults;
        output.WriteLine($"budget {BudgetCluster.Budget}: {faults.WindowRefusals} refused, max {faults.MaxWindowCount} in a window, {faults.WindowCount} in the last 30 s");
        Assert.Equal(0, faults.WindowRefusals);
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.StatusCode == 429);
        Assert.True(faults.MaxWindowCount <= BudgetCluster.Budget, $"{faults.MaxWindowCount} calls in one 30 s window");
        // The last 30 s are steady state: at least 95% of the budget reached Spotify.
        Assert.True(faults.WindowCount >= 0.95 * BudgetCluster.Budget, $"{faults.WindowCount} calls in the last 30 s of {BudgetCluster.Budget}");
        var status = await cluster.Coordinator.GetStatusAsync();
        Assert.Equal(BudgetCluster.Budget, status.CallBudget!.Configured);
        Assert.True(status.CallBudget.SentInLast30Seconds >= 0.95 * BudgetCluster.Budget, $"status says {status.CallBudget.SentInLast30Seconds}");
    }

    [Fact]
    public async Task Told_twice_what_spotify_allows_the_cluster_settles_with_few_429s_and_uses_at_least_80_percent_of_the_real_limit()
    {
        const int real = BudgetCluster.Budget / 2;
        await WaitForAnIdleQueueAsync();
        cluster.Spotify.Faults.WindowLimit = real;
        cluster.Spotify.Faults.WindowLength = SpotifyWindow;
        cluster.Spotify.Faults.Latency = TimeSpan.FromMilliseconds(50);
        cluster.Spotify.Faults.LatencyJitter = TimeSpan.FromMilliseconds(100);
        var users = Enumerable.Range(1, 40).Select(i => $"adaptive-{i}").ToList();
        var startedAt = DateTimeOffset.UtcNow;
        try
        {
            foreach (var userId in users)
            {
                await cluster.ConnectNewUserAsync(userId, new EmulatorUserSettings { InitialPlays = 5, PlayInterval = TimeSpan.FromMinutes(1) });
            }
            while (DateTimeOffset.UtcNow < startedAt + TimeSpan.FromSeconds(120))
            {
                await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
        finally
        {
            foreach (var userId in users)
            {
                await cluster.User(userId).DisconnectAsync();
            }
        }

        // The first minute finds the limit; the second must be calm and busy.
        var settled = cluster.Spotify.Requests.Where(r => r.ReceivedAt >= startedAt + TimeSpan.FromSeconds(60)
            && r.ReceivedAt < startedAt + TimeSpan.FromSeconds(120)).ToList();
        var refused = settled.Count(r => r.StatusCode == 429);
        var admitted = settled.Count - refused;
        var allRefused = cluster.Spotify.Requests.Count(r => r.ReceivedAt >= startedAt && r.StatusCode == 429);
        output.WriteLine($"Spotify allows {real}, budget {BudgetCluster.Budget}: second minute {admitted} admitted of {2 * real} allowed, {refused} refused; {allRefused} refused in all");
        Assert.True(refused <= 5, $"{refused} 429s after the first minute");
        Assert.True(admitted >= 0.8 * 2 * real, $"{admitted} calls admitted in 60 s where Spotify allowed {2 * real}");
        // Spotify did refuse the budget as configured: the calm second minute is the adaptation's doing. (The effective
        // budget itself may be back at the configured value at any one moment: it recovers fully between 429s.)
        Assert.True(allRefused >= 1, "Spotify never refused a call: the test did not exceed the real limit");
    }

    [Fact]
    public async Task A_quota_exceeded_429_pauses_everyone_without_lowering_the_budget_and_dispatch_resumes_by_itself()
    {
        const string userId = "quota-user";
        await WaitForAnIdleQueueAsync();
        await cluster.ConnectSyncedUserAsync(userId);
        var effectiveBefore = (await cluster.Coordinator.GetStatusAsync()).CallBudget!.Effective;

        cluster.Spotify.Faults.ThrottleFor(TimeSpan.FromSeconds(3), retryAfterSeconds: 3, ThrottleScope.All, reason: "QUOTA_EXCEEDED", userId: userId);
        var throttledAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        await cluster.WaitForOutcomeAfterAsync(userId, throttledAt, "quota_exceeded", TimeSpan.FromSeconds(30));

        // The grain records its outcome before it reports the 429 to the coordinator: wait for the report.
        var paused = await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.PauseKind is not null,
            TimeSpan.FromSeconds(10), "the coordinator to pause");
        Assert.Equal(DispatchPauseKind.QuotaExceeded, paused.PauseKind);
        Assert.Contains("quota", paused.PauseReason);
        Assert.Equal(effectiveBefore, paused.CallBudget!.Effective);

        // The user went back to the front; once the pause is over it syncs without anyone asking again.
        await cluster.WaitForOutcomeAfterAsync(userId, throttledAt, "succeeded", TimeSpan.FromSeconds(30));
        Assert.Null((await cluster.Coordinator.GetStatusAsync()).PauseKind);
    }

    /// <summary>Each test brings its own load: it starts once the previous one has drained (disconnected users sync no more).</summary>
    private Task WaitForAnIdleQueueAsync() =>
        Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.QueueLength == 0 && s.InFlight == 0,
            TimeSpan.FromSeconds(90), "the queue to drain");
}
