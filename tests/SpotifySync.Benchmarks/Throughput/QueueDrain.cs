using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Waits until the coordinator's queue is empty and no sync is in flight, and remembers the syncs it saw in flight
/// on the way (their mean, with the sync duration, says whether <c>Sync:MaxConcurrentSyncs</c> held the pace).
/// </summary>
internal sealed class QueueDrain
{
    private long _inFlightSum;
    private int _samples;

    /// <summary>Mean of the in-flight counts seen while the queue was not yet drained.</summary>
    public double MeanInFlight => _samples > 0 ? (double)_inFlightSum / _samples : 0;

    public int MaxInFlight { get; private set; }

    public static async Task<QueueDrain> WaitAsync(ISyncCoordinatorGrain coordinator, TimeSpan pollInterval, TimeSpan timeout, CancellationToken ct)
    {
        var drain = new QueueDrain();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var status = await coordinator.GetStatusAsync();
            if (status.QueueLength == 0 && status.InFlight == 0)
            {
                return drain;
            }
            drain._inFlightSum += status.InFlight;
            drain._samples++;
            drain.MaxInFlight = Math.Max(drain.MaxInFlight, status.InFlight);
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"the queue did not drain within {timeout.TotalSeconds:0}s: {status.QueueLength} queued, {status.InFlight} in flight, paused: {status.PauseReason ?? "no"}");
            }
            await Task.Delay(pollInterval, ct);
        }
    }
}
