using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;
using SpotifySync.SpotifyEmulator;
using Xunit.Abstractions;

namespace SpotifySync.IntegrationTests.Cluster;

[Collection(SyncClusterCollection.Name)]
public sealed class SpacingTests(SyncCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task The_emulator_never_sees_two_users_syncs_start_closer_than_the_spacing()
    {
        var users = Enumerable.Range(1, 10).Select(i => $"spacing-{i:00}").ToList();
        await cluster.ConnectSyncedUsersAsync(users, new EmulatorUserSettings { InitialPlays = 3 });
        var syncAllAt = DateTimeOffset.UtcNow;
        await cluster.Coordinator.EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
        foreach (var userId in users)
        {
            await cluster.WaitForSyncAfterAsync(userId, syncAllAt);
        }

        // Measured from the sync-all round: the connect round before it warms each silo's code paths (the very
        // first sync of a fresh test process spends ~100 ms in JIT between claiming its start and reaching the
        // emulator, which only matters because the test spacing is 10x shorter than the 2 s default).
        // A user's sync is a burst of requests a few milliseconds apart (token refresh, recently-played); its start
        // is the first of them. No user can be started twice within the spacing, so half of it separates bursts.
        var starts = new List<(DateTimeOffset At, string UserId)>();
        foreach (var byUser in cluster.Spotify.Requests.Where(r => r.ReceivedAt >= syncAllAt && r.UserId is not null).GroupBy(r => r.UserId!))
        {
            DateTimeOffset? previous = null;
            foreach (var request in byUser.OrderBy(r => r.ReceivedAt))
            {
                if (previous is null || request.ReceivedAt - previous > SyncCluster.Spacing / 2)
                {
                    starts.Add((request.ReceivedAt, byUser.Key));
                }
                previous = request.ReceivedAt;
            }
        }
        starts.Sort((a, b) => a.At.CompareTo(b.At));

        Assert.True(starts.Count >= users.Count, $"expected at least {users.Count} syncs, saw {starts.Count}");
        var gaps = starts.Zip(starts.Skip(1), (a, b) => (Gap: b.At - a.At, a, b)).ToList();
        var closest = gaps.MinBy(g => g.Gap);
        output.WriteLine($"{starts.Count} sync starts, closest gap {closest.Gap.TotalMilliseconds:0.0} ms");
        Assert.True(closest.Gap >= SyncCluster.Spacing,
            $"{closest.a.UserId} and {closest.b.UserId} started {closest.Gap.TotalMilliseconds:0.0} ms apart (spacing {SyncCluster.Spacing.TotalMilliseconds} ms)");
    }
}
