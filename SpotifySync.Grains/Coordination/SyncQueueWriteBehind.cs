using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Carries the coordinator's queue changes to <c>sync_queue</c> off its turns: the coordinator records a change
/// and moves on, and a flush writes every change since the last one in one round trip, on a thread of its own, so
/// no enqueue, claim or dispatch waits on PostgreSQL. Changes to one user coalesce (the last one wins); a flush
/// that fails keeps its changes for the next one unless newer ones replaced them. What a silo crash can lose is
/// the last flush interval's changes, which users' reminders (and the app's retries) queue again.
/// </summary>
public sealed partial class SyncQueueWriteBehind(SyncQueueStore store, TimeSpan flushTimeout, ILogger logger)
{
    private readonly Lock _gate = new();
    private Dictionary<string, SyncQueueEntry?> _changes = new(StringComparer.Ordinal);
    private Task _flushing = Task.CompletedTask;
    private bool _failing;

    public int Unwritten
    {
        get { lock (_gate) { return _changes.Count; } }
    }

    public void Upsert(IEnumerable<SyncQueueEntry> entries)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                _changes[entry.UserId] = entry;
            }
        }
    }

    public void Delete(IEnumerable<string> userIds)
    {
        lock (_gate)
        {
            foreach (var userId in userIds)
            {
                _changes[userId] = null;
            }
        }
    }

    /// <summary>Starts a flush unless one is still running; never waits for it.</summary>
    public void StartFlush()
    {
        if (!_flushing.IsCompleted || Unwritten == 0)
        {
            return;
        }
        _flushing = Task.Run(FlushAsync);
    }

    /// <summary>Waits for the running flush and writes what is left (deactivation: the last chance).</summary>
    public async Task FlushNowAsync()
    {
        await _flushing;
        await FlushAsync();
    }

    private async Task FlushAsync()
    {
        Dictionary<string, SyncQueueEntry?> batch;
        lock (_gate)
        {
            if (_changes.Count == 0)
            {
                return;
            }
            batch = _changes;
            _changes = new Dictionary<string, SyncQueueEntry?>(StringComparer.Ordinal);
        }
        try
        {
            using var timeout = new CancellationTokenSource(flushTimeout);
            await store.ApplyAsync(
                [.. batch.Values.OfType<SyncQueueEntry>()],
                [.. batch.Where(c => c.Value is null).Select(c => c.Key)],
                timeout.Token);
            if (_failing)
            {
                _failing = false;
                LogWritingAgain(batch.Count);
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                foreach (var (userId, change) in batch)
                {
                    _changes.TryAdd(userId, change);
                }
            }
            if (!_failing)
            {
                _failing = true;
                LogWriteFailed(e, batch.Count);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} queue changes to sync_queue; the in-memory queue goes on and the changes are retried")]
    private partial void LogWriteFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "sync_queue written again ({Count} changes)")]
    private partial void LogWritingAgain(int count);
}
