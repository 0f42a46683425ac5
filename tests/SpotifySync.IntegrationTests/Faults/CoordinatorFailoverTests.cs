using System.Net;
using Orleans.Runtime;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

/// <summary>What the coordinator knows must outlive its activation: the pause, and users whose dispatch was under way.</summary>
[Collection(FaultsClusterCollection.Name)]
public sealed class CoordinatorFailoverTests(FaultsCluster cluster) : IDisposable
{
    public void Dispose() => cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task A_claim_for_a_dispatch_the_coordinator_never_made_leaves_the_user_queued_and_it_syncs()
    {
        const string userId = "orphan-dispatch";
        await cluster.ConnectSyncedUserAsync(userId);

        // As when the coordinator's silo died after dispatching: the new activation has no record of the dispatch.
        var claimedAt = DateTimeOffset.UtcNow;
        Assert.False(await cluster.Coordinator.ClaimStartAsync(userId, dispatchId: long.MaxValue, SyncTrigger.Manual, Guid.NewGuid(), SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1)));

        // Not lost: queued again by the refused claim (or already, by its own schedule), and it syncs.
        Assert.NotNull(await cluster.Coordinator.GetPositionAsync(userId));
        await cluster.WaitForOutcomeAfterAsync(userId, claimedAt, "succeeded", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_429_pause_and_the_queue_survive_the_loss_of_the_coordinators_silo()
    {
        const string userId = "pause-failover";
        string[] waiting = ["queued-failover-1", "queued-failover-2", "queued-failover-3"];
        await cluster.ConnectSyncedUsersAsync([userId, .. waiting]);

        // One 429 asking for 60 s (longer than the test interval: a spent quota, and longer than a failover takes);
        // Spotify itself would answer again after 5 s, so only the pause can hold the user back. Only this user's calls
        // are refused: a background user of this cluster taking the 429 first would pause everyone before this sync ran.
        var throttleWindow = TimeSpan.FromSeconds(5);
        cluster.Spotify.Faults.ThrottleFor(throttleWindow, retryAfterSeconds: 60, userId: userId);
        var throttledAt = DateTimeOffset.UtcNow;
        await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        await cluster.WaitForOutcomeAfterAsync(userId, throttledAt, "throttled", TimeSpan.FromSeconds(30));
        // The grain records its outcome before it reports to the coordinator: wait for the report.
        var paused = await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.PausedUntil is not null,
            TimeSpan.FromSeconds(10), "the coordinator to pause");
        Assert.Equal(DispatchPauseKind.QuotaExceeded, paused.PauseKind);
        // Queued while paused: they wait in memory, and in sync_queue within a dispatch tick.
        foreach (var waitingUser in waiting)
        {
            await cluster.User(waitingUser).RequestSyncAsync(SyncTrigger.Manual);
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(cluster.Coordinator);
        var silo = cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await cluster.Cluster.KillSiloAsync(silo);
        try
        {
            // The next call activates the coordinator on the surviving silo, once membership has declared the other dead.
            var management = cluster.Client.GetGrain<IManagementGrain>(0);
            var (restored, _) = await Poll.UntilAsync<(CoordinatorStatus? Status, SiloAddress? Host)>(async () =>
            {
                try
                {
                    var status = await cluster.Coordinator.GetStatusAsync();
                    return (status, await management.GetActivationAddress(cluster.Coordinator));
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    return (null, null);
                }
            }, r => r.Status is not null && r.Host is not null && !r.Host.Equals(host),
                TimeSpan.FromSeconds(90), "the coordinator on the surviving silo");

            Assert.Equal(paused.PauseKind, restored!.PauseKind);
            foreach (var waitingUser in waiting)
            {
                Assert.NotNull(await cluster.Coordinator.GetPositionAsync(waitingUser));
            }
            Assert.NotNull(await cluster.Coordinator.GetPositionAsync(userId));
            Assert.Equal(paused.PauseReason, restored.PauseReason);
            Assert.Equal(paused.PausedUntil!.Value, restored.PausedUntil!.Value, TimeSpan.FromMilliseconds(1));
            Assert.DoesNotContain(cluster.Spotify.Requests, r => r.UserId == userId && r.StatusCode == 200
                && r.ReceivedAt > throttledAt + throttleWindow && r.ReceivedAt < paused.PausedUntil.Value);

            // The restored pause ends by itself and the throttled user syncs (and the tests after this one find no pause).
            await cluster.WaitForOutcomeAfterAsync(userId, paused.PausedUntil!.Value, "succeeded", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await cluster.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Fact]
    public async Task A_dispatched_sync_keeps_its_sync_queue_row_until_its_outcome_for_a_next_coordinator_to_find()
    {
        // Were the coordinator's activation lost now (its silo dies, or the silo holding its directory entry does),
        // the next one would load sync_queue: a sync on its way must still be there, or it is in no queue at all.
        // (Killing the silo here races the test host's slow kill against the sync's own 4 s on a hanging Spotify;
        // the reload itself is A_429_pause_and_the_queue_survive_the_loss_of_the_coordinators_silo.)
        const string userId = "in-flight-row";
        await cluster.ConnectSyncedUserAsync(userId);
        cluster.Spotify.Faults.HangRate = 1;
        cluster.Spotify.Faults.HangDuration = TimeSpan.FromSeconds(20);
        try
        {
            var ticket = await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            await Poll.UntilAsync(() => cluster.Coordinator.GetPositionAsync(userId), p => p == 0, TimeSpan.FromSeconds(10), $"{userId}'s sync to start");

            // Written behind within a dispatch tick, and still there a second later while the sync hangs.
            await Poll.UntilAsync(() => StoredSyncIdAsync(userId), id => id == ticket!.SyncId, TimeSpan.FromSeconds(3), $"{userId}'s row in sync_queue");
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(0, await cluster.Coordinator.GetPositionAsync(userId));
            Assert.Equal(ticket!.SyncId, await StoredSyncIdAsync(userId));

            // Its outcome (failed, on the hang) removes it.
            await cluster.WaitForSyncAsync(userId, ticket, TimeSpan.FromSeconds(30));
            await Poll.UntilAsync(() => StoredSyncIdAsync(userId), id => id != ticket.SyncId, TimeSpan.FromSeconds(3), $"{userId}'s row to go");
        }
        finally
        {
            cluster.Spotify.Faults.Reset();
            // Its reminder would sync it every 10 s for the rest of this cluster's tests: one more background user
            // that can take the 429 A_429_pause_... means for its own user.
            await cluster.User(userId).DisconnectAsync();
        }
    }

    private async Task<Guid?> StoredSyncIdAsync(string userId)
    {
        await using var command = cluster.DataSource.CreateCommand("SELECT sync_id FROM sync_queue WHERE user_id = $1");
        command.Parameters.AddWithValue(userId);
        return await command.ExecuteScalarAsync() as Guid?;
    }

    [Fact]
    public async Task A_coordinator_whose_lease_another_activation_holds_dispatches_nobody_until_that_lease_ends()
    {
        const string userId = "lease-held-elsewhere";
        await cluster.ConnectSyncedUserAsync(userId);

        // As if an activation on a silo cut off from this one had taken the lease (PostgreSQL gives it to another
        // holder only once ours has expired; here it is simply written).
        DateTimeOffset foreignUntil;
        await using (var take = cluster.DataSource.CreateCommand(
            "UPDATE coordinator_lease SET holder = 'another activation', expires_at = clock_timestamp() + interval '6 seconds' RETURNING expires_at"))
        {
            foreignUntil = new DateTimeOffset((DateTime)(await take.ExecuteScalarAsync())!);
        }
        await Poll.UntilAsync(() => cluster.Coordinator.GetStatusAsync(), s => s.DispatchLeaseUntil is null,
            TimeSpan.FromSeconds(10), "the coordinator to find the lease held elsewhere");

        var ticket = await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var synced = await cluster.WaitForSyncAsync(userId, ticket!, TimeSpan.FromSeconds(30));

        Assert.Equal("succeeded", synced.LastSyncOutcome);
        Assert.True(synced.LastSyncStartedAt >= foreignUntil, $"started {synced.LastSyncStartedAt:O}, the other lease ran until {foreignUntil:O}");
        Assert.NotNull((await cluster.Coordinator.GetStatusAsync()).DispatchLeaseUntil);
    }
}
