using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// What a sync's reported outcome does to the coordinator: its slot in the <see cref="DispatchGate"/> is freed, and it
/// counts in the batch (and its sync_queue row, kept since the dispatch, goes), or its user goes back in front of the
/// queue (throttled, refused credentials, refresh deferred by a storm) while dispatch pauses. A sync that ran counts
/// towards the measured <see cref="SyncPace"/>. Synchronous, so one report is one coordinator turn.
/// </summary>
public sealed class ReportedOutcomes(
    DispatchGate gate,
    SyncQueue queue,
    SyncPace pace,
    SyncQueueWriteBehind queueWrites,
    DispatchPause pause,
    DispatchPauseReports pauseReports,
    SyncBatches batches,
    IOptionsMonitor<SyncOptions> options)
{
    public void Record(SyncOutcome outcome, DateTimeOffset now)
    {
        var (trigger, syncId) = gate.Finish(outcome.UserId) is { } finished
            ? (finished.Trigger, finished.SyncId)
            : (SyncTrigger.Scheduled, Guid.CreateVersion7(now));
        if (outcome.Kind is not (SyncOutcomeKind.Skipped or SyncOutcomeKind.RefreshDeferred))
        {
            pace.Finished(now, othersWaiting: queue.Count > 0);
        }
        var o = options.CurrentValue;
        switch (outcome.Kind)
        {
            case SyncOutcomeKind.Succeeded:
                pause.Succeeded();
                batches.Add(outcome);
                Done(outcome.UserId);
                return;
            // Throttled and credential-rejected users go back in front: they count in the batch when they really run.
            case SyncOutcomeKind.Throttled or SyncOutcomeKind.QuotaExceeded:
                pauseReports.Throttled(outcome.UserId, outcome.RetryAfter, outcome.Kind == SyncOutcomeKind.QuotaExceeded, now);
                PersistPauseAndRequeue(outcome.UserId, trigger, syncId, now);
                return;
            case SyncOutcomeKind.RefreshDeferred:
                // Dispatched before the storm was detected: the user waits in front for the pause to end.
                queueWrites.Upsert([queue.PutInFront(outcome.UserId, trigger, syncId, now)]);
                return;
            case SyncOutcomeKind.AppCredentialsRejected:
                pauseReports.CredentialsRejected(now, o);
                PersistPauseAndRequeue(outcome.UserId, trigger, syncId, now);
                return;
            default:
                batches.Add(outcome);
                Done(outcome.UserId);
                return;
        }
    }

    /// <summary>
    /// The dispatched sync is over: its sync_queue row goes, unless the user was queued again while it ran (that row
    /// is the new request's).
    /// </summary>
    private void Done(string userId)
    {
        if (queue.Find(userId) is null)
        {
            queueWrites.Delete([userId]);
        }
    }

    /// <summary>The user Spotify refused goes back in front; the pause is stored so that a failover keeps it.</summary>
    private void PersistPauseAndRequeue(string userId, SyncTrigger trigger, Guid syncId, DateTimeOffset now)
    {
        queueWrites.Upsert([queue.PutInFront(userId, trigger, syncId, now)]);
        pauseReports.Save();
    }
}
