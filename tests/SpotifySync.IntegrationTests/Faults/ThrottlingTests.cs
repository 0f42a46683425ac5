using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

[Collection(FaultsClusterCollection.Name)]
public sealed class ThrottlingTests(FaultsCluster cluster) : IDisposable
{
    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task A_429_pauses_all_dispatch_until_its_retry_after_and_then_everyone_syncs()
    {
        var users = await ConnectSyncedUsersAsync("throttle-all", 5);

        var window = TimeSpan.FromSeconds(3);
        cluster.Spotify.Faults.ThrottleFor(window, retryAfterSeconds: 3);
        var windowStart = DateTimeOffset.UtcNow;
        await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);

        var first429 = await FirstThrottledRequestAsync(windowStart);
        var status = await cluster.Coordinator.GetStatusAsync();
        Assert.NotNull(status.PausedUntil);
        Assert.Contains("429", status.PauseReason);

        foreach (var userId in users)
        {
            await cluster.WaitForOutcomeAfterAsync(userId, windowStart, "succeeded");
        }
        // Nothing reached Spotify between the first 429 and the end of its window: the cluster waited.
        var windowEnd = windowStart + window;
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.ReceivedAt > first429.ReceivedAt && r.ReceivedAt < windowEnd);
    }

    [Fact]
    public async Task A_429_from_the_token_endpoint_pauses_the_cluster_and_a_long_retry_after_shows_in_status()
    {
        var users = await ConnectSyncedUsersAsync("throttle-token", 3);
        foreach (var userId in users)
        {
            cluster.Spotify.ExpireAccessTokens(userId);
        }

        // Longer than Sync:Interval (10 s here): logged as an error, visible in status, and it resumes by itself.
        const int retryAfter = 12;
        cluster.Spotify.Faults.ThrottleFor(TimeSpan.FromSeconds(3), retryAfter, ThrottleScope.TokenEndpoint);
        var windowStart = DateTimeOffset.UtcNow;
        // Manual requests go ahead of whatever else this cluster has queued, so they meet the window.
        foreach (var userId in users)
        {
            await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        }

        var first429 = await FirstThrottledRequestAsync(windowStart);
        Assert.Equal("/api/token", first429.Path);
        var status = await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.PausedUntil is not null,
            TimeSpan.FromSeconds(10), "the coordinator to pause");
        Assert.InRange(status.PausedUntil!.Value, first429.ReceivedAt.AddSeconds(retryAfter - 1), first429.ReceivedAt.AddSeconds(retryAfter + 3));

        foreach (var userId in users)
        {
            await cluster.WaitForOutcomeAfterAsync(userId, windowStart, "succeeded", TimeSpan.FromSeconds(60));
        }
        var resumedAt = first429.ReceivedAt.AddSeconds(retryAfter);
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.ReceivedAt > first429.ReceivedAt && r.ReceivedAt < resumedAt.AddMilliseconds(-100));
    }

    [Fact]
    public async Task A_429_without_retry_after_pauses_for_the_default_and_doubles_when_it_repeats()
    {
        var users = await ConnectSyncedUsersAsync("throttle-noheader", 2);

        cluster.Spotify.Faults.ThrottleFor(TimeSpan.FromSeconds(2.5), retryAfterSeconds: null);
        var windowStart = DateTimeOffset.UtcNow;
        await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);

        var first = await FirstThrottledRequestAsync(windowStart);
        var status = await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.PausedUntil is not null,
            TimeSpan.FromSeconds(10), "the coordinator to pause");
        Assert.Contains("no usable Retry-After", status.PauseReason);
        foreach (var userId in users)
        {
            await cluster.WaitForOutcomeAfterAsync(userId, windowStart, "succeeded");
        }

        // Default 1 s, then 2 s, ...: the throttled retries thin out instead of hammering Spotify.
        var throttled = cluster.Spotify.Requests.Where(r => r.ReceivedAt >= first.ReceivedAt && r.StatusCode == 429).Select(r => r.ReceivedAt).ToList();
        Assert.True(throttled.Count >= 2, $"expected the throttled user to be retried inside the window, saw {throttled.Count} 429s");
        var gaps = throttled.Zip(throttled.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[0] >= TimeSpan.FromSeconds(0.9), $"first pause {gaps[0].TotalMilliseconds} ms");
        if (gaps.Count > 1)
        {
            Assert.True(gaps[1] >= TimeSpan.FromSeconds(1.9), $"second pause {gaps[1].TotalMilliseconds} ms");
        }
    }

    private async Task<List<string>> ConnectSyncedUsersAsync(string prefix, int count)
    {
        var users = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        await cluster.ConnectSyncedUsersAsync(users, new EmulatorUserSettings { InitialPlays = 5 });
        return users;
    }

    private Task<EmulatorRequest> FirstThrottledRequestAsync(DateTimeOffset since) =>
        Poll.UntilAsync(
            () => Task.FromResult(cluster.Spotify.Requests.Where(r => r.ReceivedAt >= since && r.StatusCode == 429).MinBy(r => r.ReceivedAt)),
            r => r is not null,
            TimeSpan.FromSeconds(20),
            "a 429 from the emulator")!;
}
