using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

[Collection(FaultsClusterCollection.Name)]
public sealed class FailureBackoffTests(FaultsCluster cluster) : IDisposable
{
    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task After_three_failures_in_a_row_scheduled_syncs_back_off_and_the_first_success_ends_it()
    {
        const string userId = "backoff-1";
        await cluster.ConnectSyncedUserAsync(userId, new EmulatorUserSettings { InitialPlays = 5 });

        cluster.Spotify.Faults.SetMalformedJson(userId, true);
        UserSyncStatus status;
        do
        {
            var requestedAt = DateTimeOffset.UtcNow;
            await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            status = await cluster.WaitForOutcomeAfterAsync(userId, requestedAt, "failed");
        }
        while (status.ConsecutiveFailures < 3);

        // Sync:FailureBackoffAfter = 3: the next scheduled sync waits twice Sync:Interval (10 s here) instead of one.
        Assert.NotNull(status.BackoffUntil);
        Assert.True(status.BackoffUntil > status.LastSyncCompletedAt!.Value.AddSeconds(15), $"backoff until {status.BackoffUntil:O}");
        var quietFrom = DateTimeOffset.UtcNow;
        await Task.Delay(SyncCluster.Interval + TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= quietFrom);

        // A manual sync still runs, and its success resets the count and ends the backoff.
        cluster.Spotify.Faults.SetMalformedJson(userId, false);
        var fixedAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var recovered = await cluster.WaitForOutcomeAfterAsync(userId, fixedAt, "succeeded");
        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.Null(recovered.BackoffUntil);
    }
}
