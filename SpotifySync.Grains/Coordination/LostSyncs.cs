using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Running syncs that will never report back, taken out of the <see cref="DispatchGate"/> so that their slots are not
/// held forever: those whose silo was declared dead, and with them the dispatches not yet claimed, which that silo may
/// have swallowed (their users go back in front of the queue); and those silent for longer than
/// <c>Sync:InFlightTimeout</c> (forgotten).
/// Only the coordinator's turns call it.
/// </summary>
public sealed partial class LostSyncs(DispatchGate gate, SyncQueue queue, SyncQueueWriteBehind queueWrites, ILogger logger)
{
    /// <returns>How many users were queued again.</returns>
    public int ForgetOn(IReadOnlyList<SiloAddress> deadSilos, DateTimeOffset now)
    {
        var requeued = new List<SyncQueueEntry>();
        foreach (var lost in gate.TakeRunningOn(deadSilos.Select(s => s.ToParsableString()).ToHashSet(StringComparer.Ordinal)))
        {
            LogSyncOnDeadSilo(lost.UserId, lost.RunningOn!);
            Requeue(lost);
        }
        foreach (var unclaimed in gate.TakePendingOnSiloLoss())
        {
            LogDispatchLostWithSilo(unclaimed.UserId);
            Requeue(unclaimed);
        }
        queueWrites.Upsert(requeued);
        return requeued.Count;

        void Requeue(Dispatch dispatch)
        {
            if (queue.Find(dispatch.UserId) is null)
            {
                requeued.Add(queue.PutInFront(dispatch.UserId, dispatch.Trigger, dispatch.SyncId, now));
            }
        }
    }

    public void ForgetTimedOut(DateTimeOffset now, TimeSpan inFlightTimeout)
    {
        foreach (var lost in gate.TakeLost(now, inFlightTimeout))
        {
            LogLostSync(lost.UserId, lost.StartedAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: its sync was running on silo {Silo}, declared dead; queued again at the front")]
    private partial void LogSyncOnDeadSilo(string userId, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: its dispatch was not claimed when a silo was declared dead; queued again at the front")]
    private partial void LogDispatchLostWithSilo(string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: sync started at {StartedAt} never reported back; forgotten")]
    private partial void LogLostSync(string userId, DateTimeOffset startedAt);
}
