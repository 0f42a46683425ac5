using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The batch in progress and the last one completed. A batch runs from the queue starting to drain until it is empty
/// and every started sync has reported; the coordinator logs its start and its summary.
/// </summary>
public sealed class SyncBatches
{
    private SyncBatchTally? _current;

    public DateTimeOffset? StartedAt => _current?.StartedAt;

    public SyncBatchSummary? Last { get; private set; }

    /// <summary>Starts a batch unless one runs; true when this started one.</summary>
    public bool Start(DateTimeOffset now)
    {
        if (_current is not null)
        {
            return false;
        }
        _current = new SyncBatchTally(now);
        return true;
    }

    public void Add(SyncOutcome outcome) => _current?.Add(outcome);

    /// <summary>Completes the running batch once nothing is queued or in flight; the summary, or null when none completed.</summary>
    public SyncBatchSummary? CompleteIfIdle(DateTimeOffset now, bool idle)
    {
        if (_current is null || !idle)
        {
            return null;
        }
        Last = _current.Complete(now);
        _current = null;
        return Last;
    }
}
