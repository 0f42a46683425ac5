using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// One dispatch tick's decisions over the queue and the gate, on the time it is given: which dispatched users failed
/// to claim their start in time (back to the front of the queue, but not out again in this very round, or the slot
/// would go straight back to the user that just failed to take it), and who goes out now. A user whose previous sync
/// still runs waits in line; the next one goes first.
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
        SyncQueue queue, DispatchGate gate, DateTimeOffset now, TimeSpan spacing, int maxConcurrent, TimeSpan claimTimeout, int maxPerTick)
    {
        var unclaimed = gate.TakeUnclaimed(now, claimTimeout);
        var requeued = unclaimed.Select(d => queue.PutInFront(d.UserId, d.Trigger, d.SyncId, now)).ToList();
        var room = Math.Min(gate.Room(now, spacing, maxConcurrent), maxPerTick);
        if (room == 0)
        {
            // With spacing, come back exactly when the gap is kept rather than a whole tick later.
            var wakeAt = queue.Count > 0 && spacing > TimeSpan.Zero && gate.Pending == 0 && now < gate.NextStartAllowed
                ? gate.NextStartAllowed
                : (DateTimeOffset?)null;
            return new DispatchPlan(unclaimed, requeued, [], wakeAt);
        }
        var skip = unclaimed.Select(d => d.UserId).ToHashSet(StringComparer.Ordinal);
        var dispatches = new List<Dispatch>();
        while (dispatches.Count < room && queue.DequeueFirst(userId => !gate.Holds(userId) && !skip.Contains(userId)) is { } entry)
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
