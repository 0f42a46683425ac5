using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Silo;

/// <summary>Ready when a grain call round-trips through the cluster: this silo has joined and the coordinator answers.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value)
                .GetStatusAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"coordinator answers: {status.QueueLength} queued");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the sync coordinator does not answer", e);
        }
    }
}
