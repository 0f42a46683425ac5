using Orleans.Runtime;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Cluster;

/// <summary>
/// A cluster whose idle user grains would stay 20 s, starting one user every 5 s: the sixth user queued at once
/// is not expected to start before its grain's idle age runs out.
/// </summary>
public sealed class SlowQueueCluster() : SyncCluster(new Dictionary<string, string>
{
    ["Sync:IdleUserCollectionAge"] = "00:00:20",
    ["Sync:SpacingBetweenUsers"] = "00:00:05",
});

/// <summary>A user grain with nothing to do soon leaves memory at once instead of waiting out its idle age.</summary>
public sealed class UserGrainDepartureTests(SlowQueueCluster cluster) : IClassFixture<SlowQueueCluster>
{
    /// <summary>Well under the 20-s idle age and its 5-s collection quantum: only leaving at once meets it.</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task A_disconnected_users_grain_leaves_memory_at_once()
    {
        const string userId = "departs-on-disconnect";
        var connected = await cluster.User(userId).ConnectAsync(new SpotifyConnection(cluster.Spotify.AddUser(userId).RefreshToken));
        await cluster.WaitForSyncAsync(userId, connected.FirstSync!, TimeSpan.FromMinutes(2));

        var disconnected = await cluster.User(userId).DisconnectAsync();

        Assert.Equal(UserConnectionState.Disconnected, disconnected.State);
        await Poll.UntilAsync(() => InMemoryAsync(userId), inMemory => !inMemory, Promptly, "the disconnected user's grain to leave memory");
        Assert.Equal(UserConnectionState.Disconnected, (await cluster.User(userId).GetStatusAsync()).State);
    }

    [Fact]
    public async Task Users_connected_behind_a_long_queue_leave_memory_until_their_turn_and_are_synced_then()
    {
        var userIds = Enumerable.Range(0, 8).Select(i => $"departs-queued-{i}").ToArray();
        var tickets = new List<QueueTicket>();
        foreach (var userId in userIds)
        {
            var connected = await cluster.User(userId).ConnectAsync(new SpotifyConnection(cluster.Spotify.AddUser(userId).RefreshToken));
            tickets.Add(connected.FirstSync!);
        }

        // The last two are at least seven spacings (35 s) from their start: their grains have nothing to do until then.
        var now = DateTimeOffset.UtcNow;
        foreach (var (userId, ticket) in userIds.Zip(tickets).TakeLast(2))
        {
            Assert.True(ticket.EstimatedStart > now + TimeSpan.FromSeconds(25), $"{userId}: estimated start {ticket.EstimatedStart:O}, now {now:O}");
            await Poll.UntilAsync(() => InMemoryAsync(userId), inMemory => !inMemory, Promptly, $"the grain of {userId} to leave memory");
        }

        // Their dispatch brings them back, and they sync as anyone.
        var last = await cluster.WaitForSyncAsync(userIds[^1], tickets[^1], TimeSpan.FromMinutes(2));
        Assert.Equal("succeeded", last.LastSyncOutcome);
        Assert.True(last.TotalTracks > 0);
    }

    private async Task<bool> InMemoryAsync(string userId)
    {
        var grains = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return grains.Any(g => g.GrainType.StartsWith(typeof(Grains.Users.UserSyncGrain).FullName!, StringComparison.Ordinal) && g.GrainId.Key.ToString() == userId);
    }
}
