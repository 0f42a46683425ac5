using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Users;

/// <summary>
/// "Sync Data" reaches Spotify at most once per cooldown (<c>Api:ManualSyncCooldown</c>): a button pressed again
/// within it is answered with the sync it already queued (still queued or running) or, once that finished, with its
/// outcome. Remembers the last manual sync it let through; a user grain holds one.
/// </summary>
public sealed class ManualSyncCooldown
{
    private DateTimeOffset? _lastAllowedAt;
    private QueueTicket? _lastTicket;

    /// <summary>The sync to answer with instead of queueing a new one, or null when a new one may be queued.</summary>
    /// <param name="pendingPosition">The user's place at the coordinator (0: running), null when not queued or running.</param>
    /// <param name="lastCompletedSyncId">The sync the user's last outcome belongs to.</param>
    public ManualSyncVerdict Decide(DateTimeOffset now, TimeSpan cooldown, int? pendingPosition, Guid? lastCompletedSyncId)
    {
        if (_lastAllowedAt is not { } allowedAt || _lastTicket is not { SyncId: var syncId } || now - allowedAt >= cooldown || now < allowedAt)
        {
            return ManualSyncVerdict.Queue;
        }
        if (lastCompletedSyncId == syncId)
        {
            return ManualSyncVerdict.AnswerLastOutcome;
        }
        // Not finished and not at the coordinator any more (e.g. forgotten with a dead silo): let the app try again.
        return pendingPosition is null ? ManualSyncVerdict.Queue : ManualSyncVerdict.AnswerPending;
    }

    /// <summary>A manual sync was queued now (its ticket names it).</summary>
    public void Allowed(DateTimeOffset now, QueueTicket ticket)
    {
        _lastAllowedAt = now;
        _lastTicket = ticket;
    }

    /// <summary>The ticket of the manual sync last let through, to answer with while it is pending.</summary>
    public QueueTicket? LastTicket => _lastTicket;

    /// <summary>Until when the last manual sync let through holds back the next one.</summary>
    public DateTimeOffset? CooldownUntil(TimeSpan cooldown) => _lastAllowedAt + cooldown;
}

public enum ManualSyncVerdict
{
    Queue,
    AnswerPending,
    AnswerLastOutcome,
}
