using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

[Collection(FaultsClusterCollection.Name)]
public sealed class FaultToleranceTests(FaultsCluster cluster) : IDisposable
{
    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task With_ten_percent_5xx_and_hanging_responses_every_play_arrives_once_and_no_silo_crashes()
    {
        var users = Enumerable.Range(1, 8).Select(i => $"flaky-{i}").ToList();
        foreach (var userId in users)
        {
            cluster.Spotify.AddUser(userId, new EmulatorUserSettings { InitialPlays = 30, PlayInterval = TimeSpan.FromMinutes(10) });
        }
        cluster.Spotify.Faults.ServerErrorRate = 0.1;
        cluster.Spotify.Faults.HangRate = 0.1;
        cluster.Spotify.Faults.HangDuration = TimeSpan.FromSeconds(20);

        foreach (var userId in users)
        {
            await cluster.User(userId).ConnectAsync(new SpotifyConnection(cluster.Spotify.GetUser(userId).RefreshToken));
        }
        // Retries absorb most faults; a sync that still fails is retried by the next request, as the schedule would.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        var missing = users.ToHashSet();
        while (missing.Count > 0 && DateTimeOffset.UtcNow < deadline)
        {
            var roundAt = DateTimeOffset.UtcNow;
            await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
            foreach (var userId in missing.ToList())
            {
                var status = await cluster.WaitForSyncAfterAsync(userId, roundAt, TimeSpan.FromSeconds(60));
                if (await cluster.Database.CountAsync(userId) == cluster.Spotify.PlaysOf(userId).Count)
                {
                    missing.Remove(userId);
                }
                else
                {
                    Assert.Equal("failed", status.LastSyncOutcome);
                }
            }
        }

        Assert.Empty(missing);
        Assert.Equal(0, await cluster.Database.DuplicateRowGroupsAsync());
        Assert.Contains(cluster.Spotify.Requests, r => r.StatusCode >= 500 && users.Contains(r.UserId ?? ""));
        Assert.Equal(2, cluster.Cluster.GetActiveSilos().Count());
    }

    [Fact]
    public async Task Malformed_json_fails_that_users_sync_with_a_clear_error_and_writes_nothing_while_others_sync()
    {
        string[] users = ["malformed-1", "malformed-2", "malformed-3"];
        await cluster.ConnectSyncedUsersAsync(users, new EmulatorUserSettings { InitialPlays = 5, PlayInterval = TimeSpan.FromSeconds(1) });
        cluster.Spotify.Faults.SetMalformedJson("malformed-2", true);
        var syncAt = DateTimeOffset.UtcNow;
        await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);

        var broken = await cluster.WaitForOutcomeAfterAsync("malformed-2", syncAt, "failed");
        Assert.Contains("malformed JSON", broken.LastError);
        Assert.True(broken.ConsecutiveFailures >= 1);
        var stored = await cluster.Database.CountAsync("malformed-2");

        // New plays keep appearing at Spotify (one a second); a failing sync writes none of them, not even part.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var againAt = DateTimeOffset.UtcNow;
        await cluster.User("malformed-2").RequestSyncAsync(SyncTrigger.Manual);
        await cluster.WaitForOutcomeAfterAsync("malformed-2", againAt, "failed");
        Assert.Equal(stored, await cluster.Database.CountAsync("malformed-2"));
        Assert.True(cluster.Spotify.PlaysOf("malformed-2").Count > stored);
        foreach (var userId in new[] { "malformed-1", "malformed-3" })
        {
            await cluster.WaitForOutcomeAfterAsync(userId, syncAt, "succeeded");
        }

        cluster.Spotify.Faults.SetMalformedJson("malformed-2", false);
        var fixedAt = DateTimeOffset.UtcNow;
        await cluster.User("malformed-2").RequestSyncAsync(SyncTrigger.Manual);
        var recovered = await cluster.WaitForOutcomeAfterAsync("malformed-2", fixedAt, "succeeded");
        Assert.Equal(0, recovered.ConsecutiveFailures);
        // Every play Spotify had when that sync read them, each once, nothing foreign. (Not "the plays of now": one a
        // second keeps coming, and CI once saw one arrive between the sync's read and the count.)
        var readAt = cluster.Spotify.Requests
            .Where(r => r.UserId == "malformed-2" && r.ReceivedAt >= fixedAt && r.StatusCode == 200 && r.Path.EndsWith("/recently-played", StringComparison.Ordinal))
            .Max(r => r.ReceivedAt);
        var storedPlays = await cluster.Database.PlayKeysAsync("malformed-2");
        var atSpotify = cluster.Spotify.PlaysOf("malformed-2");
        Assert.Superset(atSpotify.Where(p => p.PlayedAt <= readAt).Select(p => (p.TrackId ?? p.TrackUri, p.PlayedAt)).ToHashSet(), storedPlays);
        Assert.Subset(atSpotify.Select(p => (p.TrackId ?? p.TrackUri, p.PlayedAt)).ToHashSet(), storedPlays);
        Assert.Equal(storedPlays.Count, await cluster.Database.CountAsync("malformed-2"));
    }

    [Fact]
    public async Task Invalid_client_pauses_the_whole_cluster_without_marking_users_broken()
    {
        const string userId = "bad-credentials";
        await cluster.ConnectSyncedUserAsync(userId);

        cluster.Spotify.Faults.RejectClientCredentials = true;
        cluster.Spotify.ExpireAccessTokens(userId);
        var rejectedAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);

        var status = await cluster.WaitForOutcomeAfterAsync(userId, DateTimeOffset.MinValue, "app_credentials_rejected");
        Assert.Equal(UserConnectionState.Active, status.State);
        Assert.Equal(0, status.ConsecutiveFailures);
        var coordinator = await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.PausedUntil is not null,
            TimeSpan.FromSeconds(10), "the coordinator to pause");
        Assert.Contains("invalid_client", coordinator.PauseReason);

        cluster.Spotify.Faults.RejectClientCredentials = false;
        var recovered = await cluster.WaitForOutcomeAfterAsync(userId, rejectedAt, "succeeded", TimeSpan.FromSeconds(30));
        Assert.Equal(UserConnectionState.Active, recovered.State);
    }

    [Fact]
    public async Task PostgreSQL_stopped_mid_run_fails_syncs_without_losing_or_doubling_plays_once_it_is_back()
    {
        string[] users = ["pg-outage-1", "pg-outage-2", "pg-outage-3"];
        await cluster.ConnectSyncedUsersAsync(users, new EmulatorUserSettings { InitialPlays = 10, PlayInterval = TimeSpan.FromSeconds(1) });

        await cluster.Postgres.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        try
        {
            foreach (var userId in users)
            {
                await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            }
            // The syncs run against Spotify and fail at the commit; grains, coordinator and silos stay up.
            await Poll.UntilAsync(() => Task.FromResult(cluster.Spotify.Requests.Count(r => users.Contains(r.UserId ?? "") && r.ReceivedAt > stoppedAt)),
                n => n >= users.Length, TimeSpan.FromSeconds(30), "syncs to reach Spotify while PostgreSQL is down");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(2, cluster.Cluster.GetActiveSilos().Count());
            // What the API's /health/ready reports: the cluster answers, PostgreSQL does not (the coordinator asks
            // PostgreSQL every 10 s, off its turns, so the status says so within one period and a query timeout).
            await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => !s.DatabaseReachable,
                TimeSpan.FromSeconds(20), "the status to say PostgreSQL does not answer");
        }
        finally
        {
            await cluster.Postgres.StartAgainAsync();
            // The test's own pool still holds connections the stop killed (the silos' pools find out by themselves).
            cluster.DataSource.Clear();
        }

        await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.DatabaseReachable, TimeSpan.FromSeconds(30), "PostgreSQL reachable again");
        var restartedAt = DateTimeOffset.UtcNow;
        foreach (var userId in users)
        {
            await Poll.UntilAsync(async () =>
            {
                await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
                return await cluster.User(userId).GetStatusAsync();
            }, s => s.LastSyncCompletedAt >= restartedAt && s.LastSyncOutcome == "succeeded", TimeSpan.FromSeconds(60), $"{userId} to sync after the restart");
        }
        Assert.Equal(0, await cluster.Database.DuplicateRowGroupsAsync());
        foreach (var userId in users)
        {
            var stored = await cluster.Database.PlayKeysAsync(userId);
            Assert.Superset(cluster.Spotify.PlaysOf(userId).Where(p => p.PlayedAt <= restartedAt).Select(p => (p.TrackId ?? p.TrackUri, p.PlayedAt)).ToHashSet(), stored);
        }
    }
}
