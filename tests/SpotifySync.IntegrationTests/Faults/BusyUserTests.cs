using System.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

/// <summary>The app never waits on a user's Spotify calls: a sync stuck on Spotify does not hold up that user's other requests.</summary>
[Collection(FaultsClusterCollection.Name)]
public sealed class BusyUserTests(FaultsCluster cluster) : IDisposable
{
    /// <summary>Far below the ~4.5 s a sync spends on a hanging Spotify with FaultsCluster's timeouts.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(1);

    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task Status_sync_requests_and_disconnect_answer_at_once_during_a_sync_and_the_disconnect_holds()
    {
        const string userId = "busy-disconnect";
        await cluster.ConnectSyncedUserAsync(userId);
        await StartASyncThatHangsOnSpotifyAsync(userId);

        var watch = Stopwatch.StartNew();
        var ticket = await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        await cluster.User(userId).GetStatusAsync();
        Assert.True(watch.Elapsed < AtOnce, $"status and sync request took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.NotNull(ticket);

        watch.Restart();
        var disconnected = await cluster.User(userId).DisconnectAsync();
        Assert.True(watch.Elapsed < AtOnce, $"disconnect took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(UserConnectionState.Disconnected, disconnected.State);

        // The hanging sync ends (timed out); it must not bring the user or its tokens back.
        cluster.Spotify.Faults.Reset();
        await WaitUntilNotRunningAsync(userId);
        var quietFrom = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(UserConnectionState.Disconnected, (await cluster.User(userId).GetStatusAsync()).State);
        Assert.Equal(("disconnected", (string?)null, (string?)null), await cluster.Database.UserRowAsync(userId));
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= quietFrom);
    }

    [Fact]
    public async Task A_reconnect_during_a_sync_answers_at_once_and_its_token_is_the_one_kept()
    {
        const string userId = "busy-reconnect";
        await cluster.ConnectSyncedUserAsync(userId);
        await StartASyncThatHangsOnSpotifyAsync(userId);

        var reauthorized = cluster.Spotify.Reauthorize(userId);
        var watch = Stopwatch.StartNew();
        var reconnectedAt = DateTimeOffset.UtcNow;
        var connected = await cluster.User(userId).ConnectAsync(new SpotifyConnection(reauthorized));
        Assert.True(watch.Elapsed < AtOnce, $"connect took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(UserConnectionState.Active, connected.Status.State);

        cluster.Spotify.Faults.Reset();
        await cluster.WaitForOutcomeAfterAsync(userId, reconnectedAt, "succeeded");
        Assert.Equal(reauthorized, await cluster.StoredRefreshTokenAsync(userId));
        Assert.Equal(cluster.Spotify.PlaysOf(userId).Count, await cluster.Database.CountAsync(userId));
    }

    /// <summary>Every Spotify request hangs; returns once the user's sync is running (claimed) and waiting on Spotify.</summary>
    private async Task StartASyncThatHangsOnSpotifyAsync(string userId)
    {
        cluster.Spotify.Faults.HangRate = 1;
        cluster.Spotify.Faults.HangDuration = TimeSpan.FromSeconds(20);
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        await Poll.UntilAsync(() => cluster.Coordinator.GetPositionAsync(userId), p => p == 0, TimeSpan.FromSeconds(10), $"{userId}'s sync to start");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
    }

    private Task WaitUntilNotRunningAsync(string userId) =>
        Poll.UntilAsync(() => cluster.Coordinator.GetPositionAsync(userId), p => p is null, TimeSpan.FromSeconds(30), $"{userId}'s sync to end");
}
