using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The syncs between the queue and their outcome: dispatched and waiting for their grain to claim the start, or
/// running. It decides how many may be dispatched now and whether a claim is granted.
/// <para>
/// With <c>Sync:SpacingBetweenUsers</c> set, one dispatch waits for its claim at a time and the next follows the
/// claimed start by the spacing (so a grain that got its dispatch late cannot bunch up with the next user). At
/// spacing zero the budget paces the calls, and as many dispatches go out as <c>Sync:MaxConcurrentSyncs</c> leaves room for.
/// </para>
/// </summary>
public sealed class DispatchGate
{
    private readonly Dictionary<string, Dispatch> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dispatch> _running = new(StringComparer.Ordinal);
    private long _lastDispatchId;

    public int Pending => _pending.Count;
    public int Running => _running.Count;
    public bool IsIdle => _pending.Count == 0 && _running.Count == 0;

    /// <summary>With a spacing: the earliest next start, measured from the last claimed one.</summary>
    public DateTimeOffset NextStartAllowed { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Dispatched or running: another sync of this user must wait.</summary>
    /// <summary>
    /// When the user at <paramref name="position"/> in the queue should start: after the next allowed start (or the
    /// pause's end) and one spacing per user ahead of it. An estimate: claims, failures and the budget move it.
    /// </summary>
    public DateTimeOffset EstimatedStart(int position, DateTimeOffset now, TimeSpan spacing, DateTimeOffset? pausedUntil)
    {
        var next = NextStartAllowed < now ? now : NextStartAllowed;
        if (pausedUntil is { } until && until > next)
        {
            next = until;
        }
        return next + spacing * Math.Max(position - 1, 0);
    }

    public bool Holds(string userId) => _pending.ContainsKey(userId) || _running.ContainsKey(userId);

    /// <summary>How many syncs may be dispatched now.</summary>
    public int Room(DateTimeOffset now, TimeSpan spacing, int maxConcurrent)
    {
        var free = Math.Max(0, maxConcurrent - _pending.Count - _running.Count);
        if (spacing <= TimeSpan.Zero)
        {
            return free;
        }
        return _pending.Count == 0 && now >= NextStartAllowed ? Math.Min(free, 1) : 0;
    }

    public Dispatch Dispatch(SyncQueueEntry entry, DateTimeOffset now)
    {
        var dispatch = new Dispatch(entry.UserId, ++_lastDispatchId, now, entry.Trigger, entry.SyncId);
        _pending[entry.UserId] = dispatch;
        return dispatch;
    }

    /// <summary>A dispatched grain asks to start. <see cref="ClaimResult.Unknown"/>: no dispatch of this user is known here (this activation is new).</summary>
    /// <param name="runningOn">The silo the grain runs on, so that its sync can be given up if that silo dies.</param>
    public (ClaimResult Result, Dispatch? Dispatch) Claim(string userId, long dispatchId, DateTimeOffset now, TimeSpan spacing, string? runningOn = null)
    {
        if (_pending.TryGetValue(userId, out var pending) && pending.DispatchId == dispatchId)
        {
            _pending.Remove(userId);
            var running = pending with { StartedAt = now, RunningOn = runningOn };
            _running[userId] = running;
            if (spacing > TimeSpan.Zero)
            {
                NextStartAllowed = now + spacing + LatencyMargin(spacing);
            }
            return (ClaimResult.Granted, running);
        }
        return (Holds(userId) ? ClaimResult.Stale : ClaimResult.Unknown, null);
    }

    /// <summary>The sync's outcome arrived: it no longer holds its user. Null when it was not running here.</summary>
    public Dispatch? Finish(string userId) => _running.Remove(userId, out var running) ? running : null;

    /// <summary>Dispatches not claimed within <paramref name="timeout"/> (busy grain, lost silo): their slots are given away.</summary>
    public IReadOnlyList<Dispatch> TakeUnclaimed(DateTimeOffset now, TimeSpan timeout) => Take(_pending, d => now - d.DispatchedAt >= timeout);

    /// <summary>Running syncs that never reported back within <paramref name="timeout"/> (their silo died unnoticed).</summary>
    public IReadOnlyList<Dispatch> TakeLost(DateTimeOffset now, TimeSpan timeout) => Take(_running, d => now - d.StartedAt > timeout);

    /// <summary>Running syncs whose grain was on one of <paramref name="deadSilos"/>: they will never report back.</summary>
    public IReadOnlyList<Dispatch> TakeRunningOn(IReadOnlyCollection<string> deadSilos) =>
        Take(_running, d => d.RunningOn is { } silo && deadSilos.Contains(silo));

    private static IReadOnlyList<Dispatch> Take(Dictionary<string, Dispatch> from, Func<Dispatch, bool> expired)
    {
        if (from.Count == 0)
        {
            return [];
        }
        var taken = from.Values.Where(expired).ToList();
        foreach (var dispatch in taken)
        {
            from.Remove(dispatch.UserId);
        }
        return taken;
    }

    /// <summary>
    /// The gap is measured here, but Spotify sees it after one more message hop and the grain's own work before its
    /// first request; a margin of a tenth of the spacing (at most 50 ms) absorbs that jitter.
    /// </summary>
    private static TimeSpan LatencyMargin(TimeSpan spacing) =>
        TimeSpan.FromTicks(Math.Min(spacing.Ticks / 10, TimeSpan.FromMilliseconds(50).Ticks));
}

public enum ClaimResult
{
    Granted,
    /// <summary>An older dispatch of a user that has a newer one (or is running): ignore it.</summary>
    Stale,
    /// <summary>No dispatch of this user is known (the coordinator moved): the user must be queued again.</summary>
    Unknown,
}

/// <summary>One dispatched sync. <see cref="StartedAt"/> and <see cref="RunningOn"/> are set when its grain claims the start.</summary>
public sealed record Dispatch(string UserId, long DispatchId, DateTimeOffset DispatchedAt, SyncTrigger Trigger, Guid SyncId)
{
    public DateTimeOffset StartedAt { get; init; }

    public string? RunningOn { get; init; }
}
