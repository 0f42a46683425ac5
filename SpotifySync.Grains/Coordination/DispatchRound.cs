using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// One dispatch tick's decisions over the queue and the gate, on the time it is given: which dispatched users failed
/// to claim their start in time (back to the front of the queue, but resting for one more claim timeout, or the slot
/// would go straight back to the user that just failed to take it), and who goes out now. A user whose previous sync
/// still runs waits in line, and so does one who rests while anyone else can go; the next one goes first.
/// </summary>
public static class DispatchRound
{
    /// <summary>Upper bound for the timer period, so an idle coordinator notices new work (and pauses ending) promptly.</summary>
    public static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(10);

    /// <summary>How often the round runs: every gap between two starts, within [<see cref="MinTick"/>, <see cref="MaxTick"/>].</summary>
    public static TimeSpan TickFor(TimeSpan spacing) =>
        spacing < MinTick ? MinTick : spacing > MaxTick ? MaxTick : spacing;

    public static DispatchPlan Plan(
        SyncQueue queue, DispatchGate gate, DateTimeOffset now, DispatchBounds bounds)
    {
        var spacing = bounds.Spacing;
        var unclaimed = gate.TakeUnclaimed(now, bounds.ClaimTimeout);
        var requeued = unclaimed.Select(d => queue.PutInFront(d.UserId, d.Trigger, d.SyncId, now)).ToList();
        var room = Math.Min(gate.Room(now, spacing, bounds.MaxConcurrent, bounds.ClaimPatience), bounds.MaxPerTick);
        if (room == 0)
        {
            // With spacing, come back exactly when the gap is kept (or the patience ends) rather than a whole tick later.
            var wakeAt = queue.Count > 0 && spacing > TimeSpan.Zero && gate.SpacedRoomAt(bounds.ClaimPatience) is var at && at > now
                ? at
                : (DateTimeOffset?)null;
            return new DispatchPlan(unclaimed, requeued, [], wakeAt);
        }
        var dispatches = new List<Dispatch>();
        // A resting user lets the users behind it go first; with nobody else to dispatch it goes itself, rather than
        // leave the slot empty for a claim timeout.
        while (dispatches.Count < room
            && (queue.DequeueFirst(userId => !gate.Holds(userId) && !gate.IsResting(userId, now))
                ?? queue.DequeueFirst(userId => !gate.Holds(userId))) is { } entry)
        {
            dispatches.Add(gate.Dispatch(entry, now));
        }
        return new DispatchPlan(unclaimed, requeued, dispatches, null);
    }
}

/// <param name="Unclaimed">Dispatches whose users did not claim their start in time.</param>
/// <param name="Requeued">Their queue entries, back in front (to write to <c>sync_queue</c>).</param>
/// <param name="Dispatches">Users to send their sync now, in queue order.</param>
/// <param name="WakeAt">When the next start is allowed, if the timer should come back then.</param>
public sealed record DispatchPlan(
    IReadOnlyList<Dispatch> Unclaimed, IReadOnlyList<SyncQueueEntry> Requeued, IReadOnlyList<Dispatch> Dispatches, DateTimeOffset? WakeAt);
