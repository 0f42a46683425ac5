using Orleans.Runtime;
using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

/// <summary>A refresh token Spotify rotated, or an erase it asked for, reaches the table whatever PostgreSQL and the row's version do.</summary>
[Collection(FaultsClusterCollection.Name)]
public sealed class TokenDurabilityTests(FaultsCluster cluster) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task A_token_rotated_while_PostgreSQL_is_down_is_stored_when_it_is_back_without_another_sync()
    {
        const string userId = "rotate-pg-down";
        await cluster.ConnectSyncedUserAsync(userId, new EmulatorUserSettings { RotateRefreshTokens = true });
        var before = cluster.Spotify.GetUser(userId).RefreshToken;

        await RotateWhilePostgresIsDownAsync(userId, whileDown: () => Task.CompletedTask);

        var rotated = cluster.Spotify.GetUser(userId).RefreshToken;
        Assert.NotEqual(before, rotated);
        var backAt = DateTimeOffset.UtcNow;
        var stored = await Poll.UntilAsync(() => StoredTokenAndLastSyncAsync(userId), s => s.RefreshToken == rotated, Patience,
            "the rotated refresh token in the table");
        // Stored by the grain's save retry, not by a later sync (the user's 10 s schedule may run one meanwhile): the row
        // that first holds the new token is the one of the sync that failed while PostgreSQL was down.
        Assert.True(stored.LastSyncCompletedAt < backAt, $"the token arrived with a sync completed at {stored.LastSyncCompletedAt:O}, after PostgreSQL was back at {backAt:O}");
        await SyncsWithTheStoredTokenAsync(userId);
    }

    [Fact]
    public async Task A_token_rotated_while_PostgreSQL_is_down_survives_the_grains_deactivation()
    {
        const string userId = "rotate-pg-down-deactivate";
        await cluster.ConnectSyncedUserAsync(userId, new EmulatorUserSettings { RotateRefreshTokens = true });

        // Orleans collects idle activations; this one is asked to go while only its memory holds the new token.
        Task collection = Task.CompletedTask;
        await RotateWhilePostgresIsDownAsync(userId, whileDown: async () =>
        {
            // The silos named explicitly: the management grain would otherwise look them up in PostgreSQL, which is down.
            var silos = cluster.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
            collection = cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(silos, TimeSpan.Zero);
            await Task.Delay(TimeSpan.FromSeconds(2));
            // The deactivation waits for PostgreSQL rather than dropping the token.
            Assert.False(collection.IsCompleted);
        });
        await collection.WaitAsync(Patience);

        var rotated = cluster.Spotify.GetUser(userId).RefreshToken;
        await Poll.UntilAsync(() => cluster.StoredRefreshTokenAsync(userId), t => t == rotated, Patience, "the rotated refresh token in the table");
        await SyncsWithTheStoredTokenAsync(userId);
    }

    [Fact]
    public async Task A_version_conflict_during_a_sync_keeps_the_rotated_token()
    {
        const string userId = "rotate-conflict";
        await cluster.ConnectSyncedUserAsync(userId, new EmulatorUserSettings { RotateRefreshTokens = true });

        // The row moves on behind the grain's back (as when another activation, or a write whose answer was lost, wrote it).
        await BumpVersionAsync(userId);
        cluster.Spotify.ExpireAccessTokens(userId);
        var syncAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        await cluster.WaitForOutcomeAfterAsync(userId, syncAt, "succeeded");

        Assert.Equal(cluster.Spotify.GetUser(userId).RefreshToken, await cluster.StoredRefreshTokenAsync(userId));
        await SyncsWithTheStoredTokenAsync(userId);
    }

    [Fact]
    public async Task Connect_and_disconnect_take_effect_after_a_version_conflict()
    {
        const string userId = "conflict-connect";
        await cluster.ConnectSyncedUserAsync(userId);

        await BumpVersionAsync(userId);
        var reauthorized = cluster.Spotify.Reauthorize(userId);
        var connected = await cluster.User(userId).ConnectAsync(new SpotifyConnection(reauthorized));
        Assert.Equal(UserConnectionState.Active, connected.Status.State);
        Assert.Equal(reauthorized, await cluster.StoredRefreshTokenAsync(userId));

        await BumpVersionAsync(userId);
        var disconnected = await cluster.User(userId).DisconnectAsync();
        Assert.Equal(UserConnectionState.Disconnected, disconnected.State);
        Assert.Equal(("disconnected", (string?)null, (string?)null), await cluster.Database.UserRowAsync(userId));
    }

    [Fact]
    public async Task Invalid_grant_while_PostgreSQL_is_down_erases_the_token_in_memory_first_and_in_the_table_later()
    {
        const string userId = "revoked-pg-down";
        await cluster.ConnectSyncedUserAsync(userId);

        await cluster.Postgres.StopAsync();
        DateTimeOffset revokedAt, markedAt;
        try
        {
            // Revoked only now: the user's 10-second schedule could otherwise meet the refusal before PostgreSQL stops.
            revokedAt = DateTimeOffset.UtcNow;
            cluster.Spotify.RevokeRefreshToken(userId);
            cluster.Spotify.ExpireAccessTokens(userId);
            await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            var status = await cluster.WaitForOutcomeAfterAsync(userId, revokedAt, "needs_reconnect", Patience);
            Assert.Equal(UserConnectionState.NeedsReconnect, status.State);
            markedAt = DateTimeOffset.UtcNow;

            // The refused token is gone from memory: a manual sync is refused without calling Spotify again.
            Assert.Null(await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual));
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Single(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= revokedAt && r.Path == "/api/token");
        }
        finally
        {
            await cluster.Postgres.StartAgainAsync();
            cluster.DataSource.Clear();
        }

        await Poll.UntilAsync(() => cluster.Database.UserRowAsync(userId), row => row.State == "needs_reconnect", Patience,
            "the erase in the table");
        Assert.Equal(("needs_reconnect", (string?)null, (string?)null), await cluster.Database.UserRowAsync(userId));
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= markedAt);
    }

    /// <summary>Stops PostgreSQL, makes the user's next sync refresh (Spotify rotates the token), then starts PostgreSQL again.</summary>
    private async Task RotateWhilePostgresIsDownAsync(string userId, Func<Task> whileDown)
    {
        await cluster.Postgres.StopAsync();
        try
        {
            var downAt = DateTimeOffset.UtcNow;
            cluster.Spotify.ExpireAccessTokens(userId);
            await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            var status = await cluster.WaitForOutcomeAfterAsync(userId, downAt, "failed", Patience);
            Assert.Contains("PostgreSQL", status.LastError);
            Assert.Contains(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= downAt && r.Path == "/api/token" && r.StatusCode == 200);
            await whileDown();
        }
        finally
        {
            await cluster.Postgres.StartAgainAsync();
            cluster.DataSource.Clear();
        }
    }

    private async Task SyncsWithTheStoredTokenAsync(string userId)
    {
        cluster.Spotify.ExpireAccessTokens(userId);
        var syncAt = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(async () =>
        {
            await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            return await cluster.User(userId).GetStatusAsync();
        }, s => s.LastSyncCompletedAt >= syncAt && s.LastSyncOutcome == "succeeded", TimeSpan.FromSeconds(60), $"{userId} to sync again");
        Assert.Equal(UserConnectionState.Active, (await cluster.User(userId).GetStatusAsync()).State);
    }

    /// <summary>The stored refresh token and the last sync's completion, read together so that they belong to one write.</summary>
    private async Task<(string? RefreshToken, DateTimeOffset? LastSyncCompletedAt)> StoredTokenAndLastSyncAsync(string userId)
    {
        await using var command = cluster.DataSource.CreateCommand(
            "SELECT refresh_token_encrypted, last_sync_completed_at FROM spotify_users WHERE user_id = @u");
        command.Parameters.AddWithValue("u", userId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var token = reader.IsDBNull(0) ? null : cluster.UnprotectStoredToken(reader.GetString(0), userId);
        return (token, reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    private async Task BumpVersionAsync(string userId)
    {
        await using var command = cluster.DataSource.CreateCommand("UPDATE spotify_users SET version = version + 1 WHERE user_id = @u");
        command.Parameters.AddWithValue("u", userId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
