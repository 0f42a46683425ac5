using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Silo;

/// <summary>
/// Wakes the coordinator. Its queue lives in PostgreSQL, but only an activation drains it: if the coordinator's silo
/// dies, this brings it back on a surviving silo without waiting for the next enqueue. Every change of the cluster's
/// membership wakes it at once (a silo declared dead is the moment its activations can be recreated elsewhere) and tells
/// it to give up the syncs that were running there, and a slow period catches anything else (a wake that failed, a
/// coordinator that deactivated itself).
/// </summary>
public sealed partial class CoordinatorWatch(IGrainFactory grains, IClusterMembershipService membership, ILogger<CoordinatorWatch> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WakePeriodicallyAsync(stoppingToken), WakeOnMembershipChangeAsync(stoppingToken));

    private async Task WakePeriodicallyAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            await WakeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task WakeOnMembershipChangeAsync(CancellationToken stoppingToken)
    {
        try
        {
            var known = new HashSet<SiloAddress>();
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var lost = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Dead && known.Remove(m.SiloAddress))
                    .Select(m => m.SiloAddress)
                    .ToList();
                known.UnionWith(snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress));
                if (lost.Count > 0)
                {
                    await ForgetSyncsOnAsync(lost, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Wakes the coordinator (in case it lived there) and gives up the syncs that were running there.</summary>
    private async Task ForgetSyncsOnAsync(IReadOnlyList<SiloAddress> lost, CancellationToken stoppingToken)
    {
        try
        {
            var requeued = await grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value).ForgetSyncsOnAsync(lost);
            LogSiloLost(string.Join(", ", lost), requeued);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogWakeFailed(e);
        }
    }

    private async Task WakeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value).EnsureRunningAsync();
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogWakeFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not wake the sync coordinator; will try again")]
    private partial void LogWakeFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo(s) {Silos} declared dead: sync coordinator woken, {Requeued} syncs that were running there queued again")]
    private partial void LogSiloLost(string silos, int requeued);
}
