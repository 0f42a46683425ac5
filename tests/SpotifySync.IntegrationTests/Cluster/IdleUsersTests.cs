using Orleans.Runtime;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Cluster;

/// <summary>A cluster whose idle user grains leave memory two seconds after their last call.</summary>
public sealed class IdleUsersCluster() : SyncCluster(new Dictionary<string, string>
{
    ["Sync:IdleUserCollectionAge"] = "00:00:02",
});

public sealed class IdleUsersTests(IdleUsersCluster cluster) : IClassFixture<IdleUsersCluster>
{
    [Fact]
    public async Task An_idle_users_grain_leaves_memory_and_comes_back_from_postgres_with_everything()
    {
        const string userId = "idle-user";
        var synced = await cluster.ConnectSyncedUserAsync(userId);
        var management = cluster.Client.GetGrain<IManagementGrain>(0);

        // Its reminder (every 10 s here) brings it back for a moment each time; in between it is not in memory. (The
        // directory may still answer with its last address for a while: count the activations instead.)
        await Poll.UntilAsync(() => UserGrainsInMemoryAsync(management), count => count == 0,
            TimeSpan.FromSeconds(30), "the idle user's grain to be collected");

        var reloaded = await cluster.User(userId).GetStatusAsync();
        Assert.Equal("succeeded", reloaded.LastSyncOutcome);
        Assert.True(reloaded.TotalTracks >= synced.TotalTracks);
        // PostgreSQL keeps microseconds, memory held 100 ns ticks.
        Assert.True(reloaded.LastSyncCompletedAt >= synced.LastSyncCompletedAt - TimeSpan.FromMilliseconds(1));
        Assert.Equal(Grains.Interfaces.UserConnectionState.Active, reloaded.State);

        // And it syncs again as before (the next sync is a fresh activation's).
        var ticket = await cluster.User(userId).RequestSyncAsync(Grains.Interfaces.SyncTrigger.Manual);
        Assert.Equal("succeeded", (await cluster.WaitForSyncAsync(userId, ticket!)).LastSyncOutcome);
    }

    [Fact]
    public async Task An_idle_users_grain_out_of_memory_is_brought_back_by_its_reminder_and_synced_on_schedule()
    {
        const string userId = "idle-scheduled";
        await cluster.ConnectSyncedUserAsync(userId);
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        await Poll.UntilAsync(() => UserGrainsInMemoryAsync(management), count => count == 0,
            TimeSpan.FromSeconds(30), "the idle user's grain to be collected");
        var collectedAt = DateTimeOffset.UtcNow;

        // Watched in the table only: a call to the grain would bring it back itself. The reminder (every 10 s here)
        // must activate it and the sync must run as any scheduled one.
        await Poll.UntilAsync(async () =>
        {
            await using var command = cluster.DataSource.CreateCommand(
                "SELECT last_sync_trigger, last_sync_outcome, last_sync_completed_at FROM spotify_users WHERE user_id = @u");
            command.Parameters.AddWithValue("u", userId);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (Trigger: reader.GetString(0), Outcome: reader.GetString(1), CompletedAt: reader.GetFieldValue<DateTimeOffset>(2));
        }, row => row.Trigger == "scheduled" && row.Outcome == "succeeded" && row.CompletedAt > collectedAt,
            TimeSpan.FromSeconds(30), "a scheduled sync of the collected user");
    }

    [Fact]
    public async Task A_user_reconnected_while_its_grain_is_out_of_memory_keeps_its_history_and_its_row_follows_the_new_schedule()
    {
        const string userId = "idle-reconnect";
        var synced = await cluster.ConnectSyncedUserAsync(userId);
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        await Poll.UntilAsync(() => UserGrainsInMemoryAsync(management), count => count == 0,
            TimeSpan.FromSeconds(30), "the idle user's grain to be collected");

        // Most likely the first call of a new activation, which inserts rather than reads (a reminder tick may come
        // first and load the row; either way the stored history must stay).
        var connected = await cluster.User(userId).ConnectAsync(new SpotifyConnection(cluster.Spotify.GetUser(userId).RefreshToken));

        Assert.Equal(Grains.Interfaces.UserConnectionState.Active, connected.Status.State);
        // Its reminder (every 10 s here) may have synced it again meanwhile: at least what it had, never a fresh row's zeros.
        Assert.True(connected.Status.TotalSyncs >= synced.TotalSyncs && synced.TotalSyncs > 0);
        Assert.True(connected.Status.TotalTracks >= synced.TotalTracks && synced.TotalTracks > 0);
        Assert.True(connected.Status.LatestPlayedAt >= synced.LatestPlayedAt);
        await using (var command = cluster.DataSource.CreateCommand("""
            SELECT u.schedule_anchor, r.start_time, r.period, u.total_tracks
            FROM spotify_users u JOIN orleans_reminders r ON r.grain_id LIKE '%' || u.user_id AND r.reminder_name = 'sync'
            WHERE u.user_id = @u
            """))
        {
            command.Parameters.AddWithValue("u", userId);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "the user's row and its sync reminder");
            var anchor = reader.GetFieldValue<DateTimeOffset>(0);
            var reminderStart = reader.GetFieldValue<DateTimeOffset>(1);
            var period = TimeSpan.FromMilliseconds(reader.GetInt64(2));
            // The row's anchor is the reminder's phase (the missed-sync check reads the row): within a second, modulo the period.
            var offset = TimeSpan.FromTicks(Math.Abs((anchor - reminderStart).Ticks) % period.Ticks);
            Assert.True(offset < TimeSpan.FromSeconds(1) || period - offset < TimeSpan.FromSeconds(1), $"anchor {anchor:O}, reminder start {reminderStart:O}, period {period}");
            Assert.True(reader.GetInt64(3) >= synced.TotalTracks);
        }

        var firstSync = await cluster.WaitForSyncAsync(userId, connected.FirstSync!);
        Assert.Equal("succeeded", firstSync.LastSyncOutcome);
        Assert.True(firstSync.TotalSyncs > synced.TotalSyncs);
    }

    [Fact]
    public async Task Users_whose_refresh_token_expires_within_30_days_are_listed_in_the_coordinator_status()
    {
        const string userId = "expiring-soon";
        await cluster.ConnectSyncedUserAsync(userId);
        var management = cluster.Client.GetGrain<IManagementGrain>(0);

        // As if the user had authorised five months and 20 days ago. The row is its grain's: written while the grain is
        // out of memory, so that the grain loads it rather than writing its own copy over it (checked, and redone if not).
        var authorizedAt = DateTimeOffset.UtcNow.AddMonths(-6).AddDays(10);
        while (true)
        {
            await using (var command = cluster.DataSource.CreateCommand(
                "UPDATE spotify_users SET authorized_at = @at, version = version + 1 WHERE user_id = @u"))
            {
                command.Parameters.AddWithValue("u", userId);
                command.Parameters.AddWithValue("at", authorizedAt);
                await command.ExecuteNonQueryAsync();
            }
            await Poll.UntilAsync(() => UserGrainsInMemoryAsync(management), count => count == 0,
                TimeSpan.FromSeconds(30), "the user's grain to be collected");
            if ((await cluster.User(userId).GetStatusAsync()).AuthorizedAt < DateTimeOffset.UtcNow.AddMonths(-5))
            {
                break;
            }
        }

        // The coordinator asks PostgreSQL every 10 s, off its turns.
        var status = await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.ExpiringSoon.Any(u => u.UserId == userId),
            TimeSpan.FromSeconds(20), "the expiring user in the coordinator status");
        var expiring = Assert.Single(status.ExpiringSoon, u => u.UserId == userId);
        // Month arithmetic makes "six months minus ten days" land 9 to 11 days ahead, depending on the months in between.
        Assert.InRange(expiring.RefreshTokenExpiresAt, DateTimeOffset.UtcNow.AddDays(8), DateTimeOffset.UtcNow.AddDays(11));
    }

    private static async Task<int> UserGrainsInMemoryAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.StartsWith(typeof(Grains.Users.UserSyncGrain).FullName!, StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}
