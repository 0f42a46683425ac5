using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

[Collection(FaultsClusterCollection.Name)]
public sealed class GapTests(FaultsCluster cluster)
{
    [Fact]
    public async Task A_heavy_listener_with_more_than_50_new_plays_gets_a_recorded_gap_and_an_early_extra_sync()
    {
        const string userId = "heavy-listener";
        var first = await cluster.ConnectSyncedUserAsync(userId, new EmulatorUserSettings { InitialPlays = 20, PlayInterval = TimeSpan.FromMilliseconds(120) });
        Assert.Equal(0, first.GapsDetected);
        var cursor = first.LatestPlayedAt!.Value;

        // More than 50 plays later, the oldest play Spotify still returns is newer than our cursor. (A scheduled
        // tick may get there first: with a play every 120 ms, any sync 6 s after the last one finds a gap.)
        await Poll.UntilAsync(() => Task.FromResult(cluster.Spotify.PlaysOf(userId).Count(p => p.PlayedAt > cursor)), n => n > 55,
            TimeSpan.FromSeconds(30), "more than 50 new plays");
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var gapped = await Poll.UntilAsync(() => cluster.User(userId).GetStatusAsync(), s => s.GapsDetected >= 1,
            TimeSpan.FromSeconds(30), "a recorded gap");

        Assert.True(gapped.LastGapFrom >= cursor);
        Assert.True(gapped.LastGapTo > gapped.LastGapFrom);
        await using (var command = cluster.DataSource.CreateCommand(
            "SELECT COUNT(*) FROM listening_gaps WHERE user_id = @u AND gap_from = @from AND gap_to = @to"))
        {
            command.Parameters.AddWithValue("u", userId);
            command.Parameters.AddWithValue("from", gapped.LastGapFrom!.Value);
            command.Parameters.AddWithValue("to", gapped.LastGapTo!.Value);
            Assert.Equal(1L, await command.ExecuteScalarAsync());
        }

        // The early extra sync (2 s in this cluster) runs without anyone asking.
        var followUp = await Poll.UntilAsync(() => cluster.User(userId).GetStatusAsync(),
            s => s.LastTrigger == "gap_follow_up" && s.LastSyncCompletedAt > gapped.LastSyncCompletedAt,
            TimeSpan.FromSeconds(20), "the gap follow-up sync");
        Assert.Equal("succeeded", followUp.LastSyncOutcome);
        Assert.Equal(0, await cluster.Database.DuplicateRowGroupsAsync());

        // Stop polling this very heavy listener so the other tests of this cluster are not crowded out.
        await cluster.User(userId).DisconnectAsync();
    }
}
