using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Silo;

/// <summary>
/// Wakes the coordinator now and then. Its queue lives in PostgreSQL, but only an activation drains it:
/// if the coordinator's silo dies, this brings it back on a surviving silo without waiting for the next enqueue.
/// </summary>
public sealed partial class CoordinatorWatch(IGrainFactory grains, ILogger<CoordinatorWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
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
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not wake the sync coordinator; will try again")]
    private partial void LogWakeFailed(Exception e);
}
