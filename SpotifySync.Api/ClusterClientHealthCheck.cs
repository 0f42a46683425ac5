using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>Ready when a call reaches the cluster through a gateway.</summary>
public sealed class ClusterClientHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value).GetStatusAsync()
                .WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy("cluster answers");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("no silo answers through the gateways", e);
        }
    }
}
