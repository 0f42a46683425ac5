using System.Net.Http.Json;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;
using SpotifySync.SpotifyEmulator;

namespace SpotifySync.IntegrationTests.Cluster;

[Collection(SyncClusterCollection.Name)]
public sealed class TokenLifecycleTests(SyncCluster cluster)
{
    [Fact]
    public async Task An_access_token_that_expires_mid_run_is_refreshed_once_and_the_sync_succeeds()
    {
        const string userId = "token-expiry";
        await cluster.ConnectSyncedUserAsync(userId);

        cluster.Spotify.ExpireAccessTokens(userId);
        var expiredAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var status = await cluster.WaitForSyncAfterAsync(userId, expiredAt);

        Assert.Equal("succeeded", status.LastSyncOutcome);
        var calls = RequestsOf(userId, expiredAt).Take(3).Select(r => (r.Path, r.StatusCode)).ToList();
        Assert.Equal(
            [("/v1/me/player/recently-played", 401), ("/api/token", 200), ("/v1/me/player/recently-played", 200)],
            calls);
    }

    [Fact]
    public async Task An_access_token_close_to_expiry_is_refreshed_before_it_is_used()
    {
        const string userId = "token-near-expiry";
        var user = cluster.Spotify.AddUser(userId);
        var soonExpiring = await MintAccessTokenAsync(user.RefreshToken);
        var connectedAt = DateTimeOffset.UtcNow;

        await cluster.User(userId).ConnectAsync(new SpotifyConnection(user.RefreshToken, soonExpiring, connectedAt.AddMinutes(2)));
        var status = await cluster.WaitForSyncAfterAsync(userId, connectedAt);

        Assert.Equal("succeeded", status.LastSyncOutcome);
        var first = RequestsOf(userId, connectedAt).First();
        Assert.Equal("/api/token", first.Path);
    }

    [Fact]
    public async Task A_fresh_access_token_from_the_app_is_used_without_a_refresh()
    {
        const string userId = "token-fresh";
        var user = cluster.Spotify.AddUser(userId);
        var fresh = await MintAccessTokenAsync(user.RefreshToken);
        var connectedAt = DateTimeOffset.UtcNow;

        await cluster.User(userId).ConnectAsync(new SpotifyConnection(user.RefreshToken, fresh, connectedAt.AddMinutes(55)));
        await cluster.WaitForSyncAfterAsync(userId, connectedAt);

        Assert.DoesNotContain(RequestsOf(userId, connectedAt), r => r.Path == "/api/token");
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_stored_and_is_the_one_used_next()
    {
        const string userId = "token-rotating";
        var first = await cluster.ConnectNewUserAsync(userId, new EmulatorUserSettings { RotateRefreshTokens = true });
        await Poll.UntilAsync(
            () => Task.FromResult(cluster.Spotify.GetUser(userId).RefreshToken),
            current => current != first,
            TimeSpan.FromSeconds(30),
            "the first refresh to rotate the token");
        await cluster.WaitForSyncAfterAsync(userId, DateTimeOffset.MinValue);
        var rotated = cluster.Spotify.GetUser(userId).RefreshToken;

        // What is stored (encrypted) is the rotated token, not the one the app handed over.
        Assert.Equal(rotated, await cluster.StoredRefreshTokenAsync(userId));

        cluster.Spotify.ExpireAccessTokens(userId);
        var expiredAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var status = await cluster.WaitForSyncAfterAsync(userId, expiredAt);

        Assert.Equal("succeeded", status.LastSyncOutcome);
        Assert.Equal(UserConnectionState.Active, status.State);
        var refresh = RequestsOf(userId, expiredAt).First(r => r.Path == "/api/token");
        Assert.Equal(rotated, refresh.RefreshTokenUsed);
        Assert.Equal(200, refresh.StatusCode);
    }

    [Fact]
    public async Task A_revoked_user_ends_needs_reconnect_with_tokens_erased_while_the_others_sync()
    {
        string[] users = ["revoked-a", "revoked-b", "revoked-c"];
        await cluster.ConnectSyncedUsersAsync(users);
        var playsBefore = await cluster.Database.CountAsync("revoked-b");

        cluster.Spotify.RevokeRefreshToken("revoked-b");
        cluster.Spotify.ExpireAccessTokens("revoked-b");
        var revokedAt = DateTimeOffset.UtcNow;
        await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);

        // Quarantined first (a storm could follow), erased once the storm window closed without one.
        var revoked = await cluster.WaitForOutcomeAfterAsync("revoked-b", revokedAt, "needs_reconnect");
        Assert.Equal(UserConnectionState.NeedsReconnect, revoked.State);
        Assert.Contains("revoked", revoked.ReconnectReason);
        foreach (var userId in new[] { "revoked-a", "revoked-c" })
        {
            var status = await cluster.WaitForSyncAfterAsync(userId, revokedAt);
            Assert.Equal("succeeded", status.LastSyncOutcome);
        }

        // The status answers from the grain, which shows the erase at once and writes it right after: under load CI
        // once read the row before that write landed.
        var (state, refreshToken, accessToken) = await Poll.UntilAsync(() => cluster.Database.UserRowAsync("revoked-b"),
            row => row.State != "quarantined", TimeSpan.FromSeconds(10), "the erase to reach revoked-b's row");
        Assert.Equal("needs_reconnect", state);
        Assert.Null(refreshToken);
        Assert.Null(accessToken);
        Assert.Equal(playsBefore, await cluster.Database.CountAsync("revoked-b"));

        // No more Spotify calls for that user: manual requests are refused and the schedule is gone.
        var markedAt = DateTimeOffset.UtcNow;
        Assert.Null(await cluster.User("revoked-b").RequestSyncAsync(SyncTrigger.Manual));
        await Task.Delay(SyncCluster.Interval + TimeSpan.FromSeconds(2));
        Assert.Empty(RequestsOf("revoked-b", markedAt));
    }

    private IEnumerable<SpotifySync.SpotifyEmulator.EmulatorRequest> RequestsOf(string userId, DateTimeOffset since) =>
        cluster.Spotify.Requests.Where(r => r.UserId == userId && r.ReceivedAt >= since).OrderBy(r => r.ReceivedAt);

    /// <summary>What the app backend would hold right after the user signed in: an access token of its own.</summary>
    private async Task<string> MintAccessTokenAsync(string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = cluster.Emulator.BaseUrl };
        var settings = cluster.Spotify.Settings;
        var response = await http.PostAsync("api/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = settings.ClientId,
            ["client_secret"] = settings.ClientSecret,
        }));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return body!["access_token"].ToString()!;
    }
}
