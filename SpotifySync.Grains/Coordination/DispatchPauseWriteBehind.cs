using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Stores the coordinator's pause in <c>coordinator_pause</c> off its turns, like the queue's writes: the pause holds
/// in memory whatever PostgreSQL does, and only a failover during an outage would lose it. Only the coordinator's
/// turns call it.
/// </summary>
public sealed partial class DispatchPauseWriteBehind(DispatchPauseStore store, TimeSpan timeout, ILogger logger)
{
    private Task _writing = Task.CompletedTask;

    /// <summary>Queues the write behind the previous one, so an older pause never lands after a newer one.</summary>
    public void Save(StoredPause pause) =>
        _writing = _writing.ContinueWith(_ => SaveAsync(pause), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();

    private async Task SaveAsync(StoredPause pause)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await store.SaveAsync(pause, cancel.Token);
        }
        catch (Exception e)
        {
            LogPauseWriteFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the dispatch pause in coordinator_pause; it holds in memory")]
    private partial void LogPauseWriteFailed(Exception e);
}
