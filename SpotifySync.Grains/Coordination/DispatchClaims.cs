using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// A dispatched user's grain asks to start its sync. The <see cref="DispatchGate"/> decides; a granted claim counts as
/// dispatched (metric); a claim of a dispatch this activation never made, or a late one that would break the spacing,
/// puts the user back in front of the queue.
/// Only the coordinator's turns call it.
/// </summary>
public sealed partial class DispatchClaims(
    DispatchGate gate, SyncQueue queue, SyncQueueWriteBehind queueWrites, SyncMetrics metrics, ILogger logger)
{
    /// <returns>Whether the grain may start; false means it must not call Spotify for this dispatch.</returns>
    public bool Claim(string userId, long dispatchId, SyncTrigger trigger, Guid syncId, SiloAddress runningOn, DateTimeOffset now, TimeSpan spacing)
    {
        var (result, dispatch) = gate.Claim(userId, dispatchId, now, spacing, runningOn.ToParsableString());
        switch (result)
        {
            case ClaimResult.Granted:
                metrics.Dispatched(dispatch!.Trigger.Priority());
                return true;
            case ClaimResult.Unknown when queue.Find(userId) is null:
                // Dispatched by an activation that is gone (its silo died after the entry left sync_queue): the
                // user must not vanish from the queue because its dispatch outlived the dispatcher.
                LogRequeuedUnknownDispatch(userId);
                queueWrites.Upsert([queue.PutInFront(userId, trigger, syncId, now)]);
                return false;
            case ClaimResult.TooSoon when queue.Find(userId) is null:
                LogClaimTooSoon(userId);
                queueWrites.Upsert([queue.PutInFront(userId, dispatch!.Trigger, dispatch.SyncId, now)]);
                return false;
            default:
                return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: claimed a dispatch this coordinator never made (it moved silos); queued again at the front")]
    private partial void LogRequeuedUnknownDispatch(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: claimed its start after the next user had started, within the spacing; queued again at the front")]
    private partial void LogClaimTooSoon(string userId);
}
