using Orleans.Runtime;
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

    private static async Task<int> UserGrainsInMemoryAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.StartsWith(typeof(Grains.Users.UserSyncGrain).FullName!, StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}
