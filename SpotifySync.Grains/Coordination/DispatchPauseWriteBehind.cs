using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Stores the coordinator's pause in <c>coordinator_pause</c> off its turns, like the queue's writes: the pause holds
/// in memory whatever PostgreSQL does, and only a failover during an outage would lose it.
/// </summary>
public sealed partial class DispatchPauseWriteBehind(DispatchPauseStore store, TimeSpan timeout, ILogger logger)
{
    public void Save(StoredPause pause) => _ = Task.Run(() => SaveAsync(pause));

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
