using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SpotifySync.Grains.Budget;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.IntegrationTests.Budget;

/// <summary>
/// A caller that must answer quickly (the token broker, a code exchange) takes its permit from the real budget grain,
/// but gives up at once when none is due within its wait, instead of waiting like a sync.
/// </summary>
[Collection(BudgetClusterCollection.Name)]
public sealed class BoundedPermitTests(BudgetCluster cluster)
{
    [Fact]
    public async Task No_permit_within_the_wait_gives_up_at_once_saying_when_the_next_is_due_and_a_longer_wait_gets_it()
    {
        var permits = ((InProcessSiloHandle)cluster.Cluster.Silos[0]).ServiceProvider.GetRequiredService<SpotifyCallPermits>();
        var block = TimeSpan.FromSeconds(8);
        // As after a 429 for an exhausted quota: no permits until it has passed, and the budget itself stays.
        await cluster.Client.GetGrain<ICallBudgetGrain>(CallBudgetKey.Value).ReportThrottledAsync(block, quotaExceeded: true);
        var blockedAt = DateTimeOffset.UtcNow;

        var refused = await Assert.ThrowsAsync<NoCallPermitSoonException>(() => permits.AcquireWithinAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask());

        Assert.True(DateTimeOffset.UtcNow - blockedAt < TimeSpan.FromSeconds(2), "gave up at once, without waiting");
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(5), block);
        // Generous: the shared cluster's other syncs, held by the same block, compete for the first permits after it
        // (seen failing under load with 5 s to spare).
        await permits.AcquireWithinAsync(block + TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(DateTimeOffset.UtcNow - blockedAt >= block - TimeSpan.FromSeconds(1), "the permit came once the block had passed");
    }
}
