using Orleans.Runtime;
using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

[Collection(FaultsClusterCollection.Name)]
public sealed class TokenFaultTests(FaultsCluster cluster) : IDisposable
{
    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task Invalid_grant_erases_the_tokens_stops_all_calls_and_a_reconnect_resumes_syncing()
    {
        const string userId = "grant-revoked";
        await cluster.ConnectSyncedUserAsync(userId);
        var plays = await cluster.Database.CountAsync(userId);

        cluster.Spotify.RevokeRefreshToken(userId);
        cluster.Spotify.ExpireAccessTokens(userId);
        var revokedAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var status = await cluster.WaitForOutcomeAfterAsync(userId, revokedAt, "needs_reconnect");

        Assert.Equal(UserConnectionState.NeedsReconnect, status.State);
        Assert.StartsWith("refresh token revoked", status.ReconnectReason);
        Assert.Null(status.RefreshTokenExpiresAt);
        // The grain erases the tokens in memory first and then in the table: the status may be seen between the two.
        var row = await Poll.UntilAsync(() => cluster.Database.UserRowAsync(userId), r => r.State == "needs_reconnect",
            TimeSpan.FromSeconds(10), "the erase in the table");
        Assert.Equal(("needs_reconnect", (string?)null, (string?)null), row);
        Assert.Equal(plays, await cluster.Database.CountAsync(userId));
        // The refused token was tried exactly once: no retry of a failed refresh, and nothing after it.
        Assert.Single(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= revokedAt && r.Path == "/api/token");
        var markedAt = DateTimeOffset.UtcNow;
        Assert.Null(await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual));
        await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
        await Task.Delay(SyncCluster.Interval + TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(cluster.Spotify.Requests, r => r.UserId == userId && r.ReceivedAt >= markedAt);

        // The user signs in again: a new refresh token, a new authorisation date, syncing resumes on schedule.
        var newToken = cluster.Spotify.Reauthorize(userId);
        var reconnectedAt = DateTimeOffset.UtcNow;
        var reconnected = await cluster.User(userId).ConnectAsync(new SpotifyConnection(newToken));
        Assert.Equal(UserConnectionState.Active, reconnected.Status.State);
        Assert.True(reconnected.Status.AuthorizedAt >= reconnectedAt);
        Assert.NotNull(reconnected.Status.NextScheduledSync);
        await cluster.WaitForOutcomeAfterAsync(userId, reconnectedAt, "succeeded");
        Assert.Equal(cluster.Spotify.PlaysOf(userId).Count, await cluster.Database.CountAsync(userId));
    }

    [Fact]
    public async Task A_rotated_refresh_token_survives_a_silo_kill_and_a_refresh_without_one_keeps_the_current_token()
    {
        const string userId = "rotation-kill";
        var original = await cluster.ConnectNewUserAsync(userId, new EmulatorUserSettings { RotateRefreshTokens = true });
        await Poll.UntilAsync(() => cluster.User(userId).GetStatusAsync(), s => s.LastSyncOutcome == "succeeded",
            TimeSpan.FromSeconds(30), "the first sync");
        var rotated = cluster.Spotify.GetUser(userId).RefreshToken;
        Assert.NotEqual(original, rotated);

        // Kill (no graceful shutdown) the silo that holds the grain; the next activation reads the row.
        var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(cluster.User(userId));
        var silo = cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await cluster.Cluster.KillSiloAsync(silo);
        try
        {
            cluster.Spotify.ExpireAccessTokens(userId);
            var killedAt = DateTimeOffset.UtcNow;
            await Poll.UntilAsync(async () =>
            {
                try
                {
                    await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
                    return await cluster.User(userId).GetStatusAsync();
                }
                catch (OrleansException)
                {
                    return null;
                }
                catch (TimeoutException)
                {
                    return null;
                }
            }, s => s?.LastSyncCompletedAt >= killedAt, TimeSpan.FromSeconds(90), "a sync after the silo kill");

            var refresh = cluster.Spotify.Requests.First(r => r.UserId == userId && r.ReceivedAt >= killedAt && r.Path == "/api/token");
            Assert.Equal(rotated, refresh.RefreshTokenUsed);
            Assert.Equal(200, refresh.StatusCode);
            var current = cluster.Spotify.GetUser(userId).RefreshToken;
            Assert.Equal(current, await cluster.StoredRefreshTokenAsync(userId));

            // Spotify stops rotating: the answer has no refresh_token, and the current one stays in use.
            cluster.Spotify.SetRotation(userId, false);
            cluster.Spotify.ExpireAccessTokens(userId);
            var keptAt = DateTimeOffset.UtcNow;
            // Matched by its sync id: a sync queued by the polling above may still finish after keptAt with the old token.
            var ticket = await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            var status = await cluster.WaitForSyncAsync(userId, ticket!);
            Assert.Equal("succeeded", status.LastSyncOutcome);
            Assert.Equal(current, cluster.Spotify.Requests.First(r => r.UserId == userId && r.ReceivedAt >= keptAt && r.Path == "/api/token").RefreshTokenUsed);
            Assert.Equal(current, await cluster.StoredRefreshTokenAsync(userId));
        }
        finally
        {
            await cluster.Cluster.StartAdditionalSiloAsync();
        }
    }
}
