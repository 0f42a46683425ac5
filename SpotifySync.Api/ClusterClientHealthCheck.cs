using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>Ready when a call reaches the cluster through a gateway and the cluster reaches PostgreSQL.</summary>
public sealed class ClusterClientHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value).GetStatusAsync()
                .WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return status.DatabaseReachable
                ? HealthCheckResult.Healthy("cluster and PostgreSQL answer")
                : HealthCheckResult.Unhealthy("the cluster answers but PostgreSQL does not: syncs cannot commit");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("no silo answers through the gateways", e);
        }
    }
}
