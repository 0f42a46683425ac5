using Microsoft.Extensions.Options;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Cluster;

/// <summary>A cluster whose coordinator looks for overdue users every second, with a grace of five seconds.</summary>
public sealed class MissedSyncCluster() : SyncCluster(new Dictionary<string, string>
{
    ["Sync:MissedSyncCheckPeriod"] = "00:00:01",
    ["Sync:MissedSyncGrace"] = "00:00:05",
});

public sealed class MissedSyncTests(MissedSyncCluster cluster) : IClassFixture<MissedSyncCluster>
{
    [Fact]
    public async Task An_active_user_whose_reminder_is_gone_is_found_overdue_synced_and_given_its_reminder_back()
    {
        const string userId = "missed-no-reminder";
        var spotifyUser = cluster.Spotify.AddUser(userId);
        var protector = new TokenProtector(Options.Create(new SecurityOptions { TokenEncryptionKey = cluster.TokenEncryptionKey }));
        var now = DateTimeOffset.UtcNow;
        // A connected user as PostgreSQL holds it, last synced an hour ago, whose reminder row is lost (or whose ticks
        // Orleans skipped): nothing but the coordinator's check can bring it back. Its grain was never activated.
        await new SpotifyUserStore(cluster.DataSource).SaveAsync(new SpotifyUserRecord
        {
            UserId = userId,
            State = SpotifyUserStates.Active,
            RefreshTokenEncrypted = protector.Protect(spotifyUser.RefreshToken, userId),
            TokenKeyId = protector.CurrentKeyId,
            AuthorizedAt = now.AddHours(-2),
            ScheduleAnchor = now.AddHours(-2),
            LastSyncStartedAt = now.AddHours(-1),
            LastSyncCompletedAt = now.AddHours(-1),
            LastSyncOutcome = "succeeded",
            LastSyncTrigger = "scheduled",
        }, CancellationToken.None);
        Assert.Equal(0, await SyncRemindersAsync(userId));

        var synced = await cluster.WaitForSyncAfterAsync(userId, now, TimeSpan.FromSeconds(30));

        Assert.Equal("succeeded", synced.LastSyncOutcome);
        Assert.True(synced.TotalTracks > 0);
        Assert.Equal(1, await SyncRemindersAsync(userId));
    }

    [Fact]
    public async Task A_user_synced_on_schedule_is_never_nudged()
    {
        const string userId = "missed-on-schedule";
        await cluster.ConnectSyncedUserAsync(userId);
        var watchedFrom = DateTimeOffset.UtcNow;

        // Its 10-second reminder keeps it well inside an interval plus the grace: over three intervals every sync is
        // the reminder's, one per tick, and the check adds none.
        await Task.Delay(SyncCluster.Interval * 3);

        var calls = cluster.Spotify.Requests
            .Where(r => r.UserId == userId && r.ReceivedAt > watchedFrom && r.Path.EndsWith("/recently-played", StringComparison.Ordinal))
            .Select(r => r.ReceivedAt).Order().ToList();
        Assert.InRange(calls.Count, 2, 4);
        Assert.All(calls.Zip(calls.Skip(1)), pair => Assert.True(pair.Second - pair.First > SyncCluster.Interval / 2,
            $"two syncs {pair.Second - pair.First} apart"));
    }

    private async Task<long> SyncRemindersAsync(string userId)
    {
        await using var command = cluster.DataSource.CreateCommand(
            "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'sync' AND grain_id LIKE '%' || @u");
        command.Parameters.AddWithValue("u", userId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
