using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

[Collection(FaultsClusterCollection.Name)]
public sealed class LatePlayTests(FaultsCluster cluster)
{
    [Fact]
    public async Task A_play_reported_late_with_a_played_at_older_than_the_cursor_is_stored_by_the_next_sync()
    {
        const string userId = "late-reporter";
        var first = await cluster.ConnectSyncedUserAsync(userId, new EmulatorUserSettings { InitialPlays = 10, PlayInterval = TimeSpan.FromMinutes(10) });
        var cursor = first.LatestPlayedAt!.Value;

        // Between two plays Spotify already returned (they are 10 minutes apart): older than the cursor, yet still
        // inside the 50-play window, as when a track finished offline shows up after newer ones.
        var oldestVisible = cluster.Spotify.PlaysOf(userId).TakeLast(EmulatorState.RecentPlaysKept).First().PlayedAt;
        var late = cluster.Spotify.AddLatePlay(userId, cursor - TimeSpan.FromMinutes(15));
        Assert.True(late.PlayedAt < cursor && late.PlayedAt > oldestVisible, $"{late} lies between {oldestVisible:O} and {cursor:O}");
        var lateKey = (late.TrackId!, late.PlayedAt);
        Assert.DoesNotContain(lateKey, await cluster.Database.PlayKeysAsync(userId));

        var syncAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var synced = await cluster.WaitForOutcomeAfterAsync(userId, syncAt, "succeeded");

        Assert.Contains(lateKey, await cluster.Database.PlayKeysAsync(userId));
        Assert.True(synced.LatestPlayedAt >= cursor, $"the cursor moved back from {cursor:O} to {synced.LatestPlayedAt:O}");
        Assert.Equal(0, await cluster.Database.DuplicateRowGroupsAsync());
        Assert.Equal(cluster.Spotify.PlaysOf(userId).Count, await cluster.Database.CountAsync(userId));
    }
}
