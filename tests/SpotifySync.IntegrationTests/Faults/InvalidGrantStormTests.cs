using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

/// <summary>
/// Spotify answers <c>invalid_grant</c> to everyone for a while (the emulator's <c>RefuseRefreshGrants</c>): the
/// users' tokens are kept and restored once it is over. A lone refusal is still the user's own and erased.
/// </summary>
[Collection(FaultsClusterCollection.Name)]
public sealed class InvalidGrantStormTests(FaultsCluster cluster) : IDisposable
{
    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task A_storm_across_many_users_keeps_their_tokens_stops_refreshing_and_restores_them_afterwards()
    {
        string[] users = ["storm-1", "storm-2", "storm-3", "storm-4", "storm-5", "storm-6"];
        await cluster.ConnectSyncedUsersAsync(users);

        cluster.Spotify.Faults.RefuseRefreshGrants = true;
        var stormAt = DateTimeOffset.UtcNow;
        foreach (var userId in users)
        {
            cluster.Spotify.ExpireAccessTokens(userId);
        }
        foreach (var userId in users)
        {
            await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        }

        var status = await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.InvalidGrantStorm.Active,
            TimeSpan.FromSeconds(30), "the invalid_grant storm detected");
        Assert.Equal(DispatchPauseKind.InvalidGrantStorm, status.PauseKind);
        Assert.True(status.InvalidGrantStorm.UsersRefused >= 4);
        var detectedAt = status.InvalidGrantStorm.DetectedAt!.Value;
        var pausedUntil = status.InvalidGrantStorm.RefreshesPausedUntil!.Value;

        // Past the window of the first refusals, still inside the pause: nobody's tokens were erased.
        await Task.Delay(SyncCluster.InvalidGrantStormWindow + TimeSpan.FromSeconds(1));
        Assert.True(DateTimeOffset.UtcNow < pausedUntil, "the test must look inside the storm's pause");
        var quarantined = 0;
        foreach (var userId in users)
        {
            var (state, refreshToken, _) = await cluster.Database.UserRowAsync(userId);
            Assert.Contains(state, new[] { "active", "quarantined" });
            Assert.NotNull(refreshToken);
            Assert.Equal(cluster.Spotify.GetUser(userId).RefreshToken, cluster.UnprotectStoredToken(refreshToken, userId));
            quarantined += state == "quarantined" ? 1 : 0;
        }
        Assert.True(quarantined >= 4, $"{quarantined} users quarantined");
        Assert.True((await cluster.Coordinator.GetStatusAsync()).InvalidGrantStorm.QuarantinedUsers >= 4);
        // No refresh is sent during the storm (a second's grace for refreshes already on their way when it was detected).
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.Path == "/api/token"
            && r.ReceivedAt > detectedAt + TimeSpan.FromSeconds(1) && r.ReceivedAt < pausedUntil);

        // Spotify recovers: after the pause every user is retried, restored with the tokens it had, and syncs again.
        cluster.Spotify.Faults.RefuseRefreshGrants = false;
        foreach (var userId in users)
        {
            var restored = await Poll.UntilAsync(() => cluster.User(userId).GetStatusAsync(),
                s => s.State == UserConnectionState.Active && s.LastSyncOutcome == "succeeded" && s.LastSyncCompletedAt > pausedUntil,
                TimeSpan.FromSeconds(60), $"{userId} restored and synced after the storm");
            Assert.Null(restored.ReconnectReason);
            Assert.Equal(cluster.Spotify.GetUser(userId).RefreshToken, await cluster.StoredRefreshTokenAsync(userId));
        }
        var after = await cluster.Coordinator.GetStatusAsync();
        Assert.False(after.InvalidGrantStorm.Active);
        Assert.Equal(0, after.InvalidGrantStorm.QuarantinedUsers);
        Assert.True(stormAt < detectedAt);
    }

    [Fact]
    public async Task A_lone_invalid_grant_keeps_the_tokens_for_the_storm_window_and_then_erases_them()
    {
        const string userId = "lone-refusal";
        await cluster.ConnectSyncedUserAsync(userId);

        cluster.Spotify.RevokeRefreshToken(userId);
        cluster.Spotify.ExpireAccessTokens(userId);
        var revokedAt = DateTimeOffset.UtcNow;
        var ticket = await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var quarantined = await cluster.WaitForSyncAsync(userId, ticket!);
        Assert.Equal("tokens_quarantined", quarantined.LastSyncOutcome);
        Assert.Equal(UserConnectionState.Quarantined, quarantined.State);
        Assert.Equal(0, quarantined.ConsecutiveFailures);
        Assert.Null(await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual));

        var erased = await cluster.WaitForOutcomeAfterAsync(userId, revokedAt, "needs_reconnect");
        Assert.Equal(UserConnectionState.NeedsReconnect, erased.State);
        Assert.StartsWith("refresh token revoked", erased.ReconnectReason);
        Assert.True(erased.LastSyncCompletedAt - revokedAt >= SyncCluster.InvalidGrantStormWindow - TimeSpan.FromMilliseconds(500));
        await Poll.UntilAsync(() => cluster.Database.UserRowAsync(userId), r => r.State == "needs_reconnect",
            TimeSpan.FromSeconds(10), "the erase in the table");
        Assert.Equal(("needs_reconnect", (string?)null, (string?)null), await cluster.Database.UserRowAsync(userId));
        Assert.Single(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= revokedAt && r.Path == "/api/token");
        Assert.False((await cluster.Coordinator.GetStatusAsync()).InvalidGrantStorm.Active);
    }
}
