using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;
using SpotifySync.SpotifyEmulator;

namespace SpotifySync.IntegrationTests.Cluster;

[Collection(SyncClusterCollection.Name)]
public sealed class EndToEndSyncTests(SyncCluster cluster)
{
    [Fact]
    public async Task Every_play_of_twenty_users_reaches_listening_data_and_resyncing_makes_no_duplicates()
    {
        var users = Enumerable.Range(1, 20).Select(i => $"e2e-{i:00}").ToList();
        foreach (var (userId, i) in users.Select((u, i) => (u, i)))
        {
            await cluster.ConnectNewUserAsync(userId, new EmulatorUserSettings
            {
                InitialPlays = 30,
                PlayInterval = TimeSpan.FromMinutes(10),
                IncludeLocalFiles = i % 4 == 0,
            });
        }
        var snapshot = users.ToDictionary(u => u, u => cluster.Spotify.PlaysOf(u));

        var syncAllAt = DateTimeOffset.UtcNow;
        var syncAll = await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
        Assert.True(syncAll.UsersFound >= users.Count);
        foreach (var userId in users)
        {
            var status = await cluster.WaitForSyncAfterAsync(userId, syncAllAt);
            Assert.Equal("succeeded", status.LastSyncOutcome);
        }

        foreach (var userId in users)
        {
            var stored = await cluster.Database.PlayKeysAsync(userId);
            var missing = snapshot[userId].Where(p => !stored.Contains((p.TrackId ?? p.TrackUri, p.PlayedAt))).ToList();
            Assert.True(missing.Count == 0, $"{userId}: {missing.Count} emulator plays are not in listening_data");
        }
        Assert.Contains(await cluster.Database.PlayKeysAsync(users[0]), k => k.TrackId.StartsWith("spotify:local:", StringComparison.Ordinal));

        // Again, with manual syncs racing the sync-all: the unique key must absorb every repeat.
        var againAt = DateTimeOffset.UtcNow;
        var manual = users.Take(8).Select(u => (Task)cluster.User(u).RequestSyncAsync(SyncTrigger.Manual));
        await Task.WhenAll(manual.Append(cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll)));
        foreach (var userId in users)
        {
            await cluster.WaitForSyncAfterAsync(userId, againAt);
        }

        Assert.Equal(0, await cluster.Database.DuplicateRowGroupsAsync());
        foreach (var userId in users)
        {
            var allPlays = cluster.Spotify.PlaysOf(userId).Select(p => (p.TrackId ?? p.TrackUri, p.PlayedAt)).ToHashSet();
            var stored = await cluster.Database.PlayKeysAsync(userId);
            Assert.Subset(allPlays, stored);
            Assert.Superset(snapshot[userId].Select(p => (p.TrackId ?? p.TrackUri, p.PlayedAt)).ToHashSet(), stored);
        }
    }

    [Fact]
    public async Task A_reminder_with_a_short_interval_fires_and_syncs_without_any_manual_call()
    {
        const string userId = "reminder-1";
        await cluster.ConnectNewUserAsync(userId, new EmulatorUserSettings { InitialPlays = 5, PlayInterval = TimeSpan.FromSeconds(2) });

        // Connect queued the first sync; the next ones can only come from the persistent reminder.
        var status = await Poll.UntilAsync(
            () => cluster.User(userId).GetStatusAsync(),
            s => s.LastTrigger == "scheduled" && s.TotalSyncs >= 2,
            SyncCluster.Interval * 3 + TimeSpan.FromSeconds(10),
            "a scheduled sync");

        Assert.Equal("succeeded", status.LastSyncOutcome);
        Assert.NotNull(status.NextScheduledSync);
        Assert.True(await cluster.Database.CountAsync(userId) >= 5);
    }
}
