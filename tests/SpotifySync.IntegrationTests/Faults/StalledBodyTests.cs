using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

/// <summary>
/// Spotify sends a 200 and the start of a body, then nothing: the resilience pipeline's timeouts ended with the
/// headers, so only the clients' own deadline can end the call before the emulator's 60-second stall does.
/// </summary>
[Collection(FaultsClusterCollection.Name)]
public sealed class StalledBodyTests(FaultsCluster cluster) : IDisposable
{
    /// <summary>The bound of one call with <see cref="FaultsCluster"/>'s Spotify settings (5.5 s).</summary>
    private static readonly TimeSpan CallDeadline = SpotifyHttpResilience.TotalTimeout(new SpotifyOptions
    {
        RequestTimeout = TimeSpan.FromSeconds(1),
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>The call's deadline plus room for dispatch, spacing and a loaded two-core machine; far below the stall.</summary>
    private static readonly TimeSpan EndsWithin = CallDeadline + TimeSpan.FromSeconds(9.5);

    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task A_stalled_recently_played_body_fails_that_users_sync_in_time_while_others_sync()
    {
        const string stalledUser = "stalled-body-1";
        const string otherUser = "stalled-body-2";
        await cluster.ConnectSyncedUsersAsync([stalledUser, otherUser], new EmulatorUserSettings { InitialPlays = 5, PlayInterval = TimeSpan.FromSeconds(2) });
        cluster.Spotify.Faults.StallScope = ThrottleScope.WebApi;
        cluster.Spotify.Faults.SetStalledBody(stalledUser, true);

        var syncAt = DateTimeOffset.UtcNow;
        await cluster.User(stalledUser).RequestSyncAsync(SyncTrigger.Manual);
        await cluster.User(otherUser).RequestSyncAsync(SyncTrigger.Manual);

        var other = await cluster.WaitForOutcomeAfterAsync(otherUser, syncAt, "succeeded", EndsWithin);
        var stalled = await cluster.WaitForOutcomeAfterAsync(stalledUser, syncAt, "failed", EndsWithin);
        Assert.Contains("did not answer in time", stalled.LastError);
        Assert.True(other.LastSyncCompletedAt < stalled.LastSyncCompletedAt, "the other user synced while the stalled one waited");
        Assert.Equal(UserConnectionState.Active, stalled.State);
        // The stalled call is in Spotify's request log like any other, with the 200 its headers carried.
        await Poll.UntilAsync(() => Task.FromResult(cluster.Spotify.Requests.ToList()),
            requests => requests.Any(r => r.UserId == stalledUser && r.ReceivedAt >= syncAt && r.Path == "/v1/me/player/recently-played" && r.StatusCode == 200),
            TimeSpan.FromSeconds(10), "the stalled recently-played call in the request log");

        cluster.Spotify.Faults.SetStalledBody(stalledUser, false);
        var fixedAt = DateTimeOffset.UtcNow;
        await cluster.User(stalledUser).RequestSyncAsync(SyncTrigger.Manual);
        var recovered = await cluster.WaitForOutcomeAfterAsync(stalledUser, fixedAt, "succeeded");
        Assert.Equal(0, recovered.ConsecutiveFailures);
        await AssertEveryPlayStoredOnceAsync(stalledUser, recovered.LastSyncStartedAt!.Value);
    }

    [Fact]
    public async Task A_stalled_token_endpoint_body_fails_the_sync_in_time_and_keeps_the_user_connected()
    {
        const string userId = "stalled-token";
        await cluster.ConnectSyncedUserAsync(userId, new EmulatorUserSettings { InitialPlays = 5, PlayInterval = TimeSpan.FromSeconds(2) });
        var refreshToken = await cluster.StoredRefreshTokenAsync(userId);
        cluster.Spotify.Faults.StallScope = ThrottleScope.TokenEndpoint;
        cluster.Spotify.Faults.SetStalledBody(userId, true);

        // A 401 on recently-played makes the grain refresh, and that refresh's body stalls.
        cluster.Spotify.ExpireAccessTokens(userId);
        var syncAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);

        var status = await cluster.WaitForOutcomeAfterAsync(userId, syncAt, "failed", EndsWithin);
        Assert.Contains("did not answer in time", status.LastError);
        Assert.Equal(UserConnectionState.Active, status.State);
        Assert.Null(status.ReconnectReason);
        Assert.Equal(refreshToken, await cluster.StoredRefreshTokenAsync(userId));
        Assert.Equal("active", (await cluster.Database.UserRowAsync(userId)).State);
        await Poll.UntilAsync(() => Task.FromResult(cluster.Spotify.Requests.ToList()),
            requests => requests.Any(r => r.UserId == userId && r.ReceivedAt >= syncAt && r.Path == "/api/token" && r.StatusCode == 200),
            TimeSpan.FromSeconds(10), "the stalled token call in the request log");

        cluster.Spotify.Faults.SetStalledBody(userId, false);
        var fixedAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var recovered = await cluster.WaitForOutcomeAfterAsync(userId, fixedAt, "succeeded");
        Assert.Equal(UserConnectionState.Active, recovered.State);
        Assert.Equal(refreshToken, await cluster.StoredRefreshTokenAsync(userId));
        await AssertEveryPlayStoredOnceAsync(userId, recovered.LastSyncStartedAt!.Value);
    }

    /// <summary>Every play made before <paramref name="syncStartedAt"/> is stored, nothing else, and none twice.</summary>
    private async Task AssertEveryPlayStoredOnceAsync(string userId, DateTimeOffset syncStartedAt)
    {
        var stored = await cluster.Database.PlayKeysAsync(userId);
        var atSpotify = cluster.Spotify.PlaysOf(userId).Select(p => (p.TrackId ?? p.TrackUri, p.PlayedAt)).ToHashSet();
        Assert.Superset(cluster.Spotify.PlaysOf(userId).Where(p => p.PlayedAt <= syncStartedAt).Select(p => (p.TrackId ?? p.TrackUri, p.PlayedAt)).ToHashSet(), stored);
        Assert.Subset(atSpotify, stored);
        Assert.Equal(stored.Count, await cluster.Database.CountAsync(userId));
    }
}
