using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Coordination;

/// <summary>Counts one batch: from the queue starting to drain until it is empty and every started sync reported.</summary>
public sealed class SyncBatchTally(DateTimeOffset startedAt)
{
    public DateTimeOffset StartedAt { get; } = startedAt;
    public int Users { get; private set; }
    public int Tracks { get; private set; }
    public int Failures { get; private set; }

    public void Add(SyncOutcome outcome)
    {
        Users++;
        Tracks += outcome.TracksAdded;
        if (outcome.Kind is SyncOutcomeKind.Failed or SyncOutcomeKind.NeedsReconnect)
        {
            Failures++;
        }
    }

    public SyncBatchSummary Complete(DateTimeOffset completedAt) => new(StartedAt, completedAt, Users, Tracks, Failures);
}
