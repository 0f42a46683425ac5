using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The syncs between the queue and their outcome: dispatched and waiting for their grain to claim the start, or
/// running. It decides how many may be dispatched now and whether a claim is granted.
/// <para>
/// With <c>Sync:SpacingBetweenUsers</c> set, one dispatch at a time waits for its claim, and a claim is granted only a
/// spacing after the previous granted start (so a grain that got its dispatch late cannot bunch up with the next
/// user). A dispatch that is not claimed within the patience stops holding back the next one: its grain may be on a
/// silo that cannot be reached, and the queue must not wait for the membership protocol to say so. Each further
/// dispatch that goes out while none has been claimed since waits half as long as the one before it (down to
/// 1/<see cref="MaxPatienceDivisor"/>): a silo cut off with a run of queued users on it then costs the queue about twice
/// the patience, not the patience per user, until the membership protocol declares it dead. At spacing zero the budget
/// paces the calls, and as many dispatches go out as <c>Sync:MaxConcurrentSyncs</c> leaves room for.
/// </para>
/// </summary>
public sealed class DispatchGate
{
    private readonly Dictionary<string, Dispatch> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dispatch> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _restingUntil = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sentBack = new(StringComparer.Ordinal);
    private long _lastDispatchId;
    private int _dispatchesSinceGrant;

    /// <summary>How far the patience shrinks over a run of dispatches nobody claims: 500 ms ends at about 16 ms.</summary>
    public const int MaxPatienceDivisor = 1 << MaxPatienceHalvings;

    private const int MaxPatienceHalvings = 5;

    public int Pending => _pending.Count;
    public int Running => _running.Count;
    public bool IsIdle => _pending.Count == 0 && _running.Count == 0;

    /// <summary>With a spacing: the earliest next start, measured from the last claimed one.</summary>
    public DateTimeOffset NextStartAllowed { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>
    /// When the user at <paramref name="position"/> in the queue should start: after the next allowed start (or the
    /// pause's end) and one step per user ahead of it, the step being the spacing or the measured pace
    /// (<see cref="SyncPace"/>), whichever is slower. An estimate: claims, failures and the budget move it.
    /// </summary>
    public DateTimeOffset EstimatedStart(int position, DateTimeOffset now, TimeSpan spacing, DateTimeOffset? pausedUntil, TimeSpan? measuredPace = null)
    {
        var next = NextStartAllowed < now ? now : NextStartAllowed;
        if (pausedUntil is { } until && until > next)
        {
            next = until;
        }
        var step = measuredPace is { } pace && pace > spacing ? pace : spacing;
        return next + step * Math.Max(position - 1, 0);
    }

    /// <summary>Dispatched or running: another sync of this user must wait.</summary>
    public bool Holds(string userId) => _pending.ContainsKey(userId) || _running.ContainsKey(userId);

    /// <summary>
    /// A user whose last dispatch was not claimed in time is not dispatched again until one more claim timeout has
    /// passed: whatever kept its grain from answering (a busy grain, a silo that cannot be reached) likely still does,
    /// and the users behind it go first (with nobody behind it, it goes: see <see cref="DispatchRound"/>).
    /// </summary>
    public bool IsResting(string userId, DateTimeOffset now) =>
        _restingUntil.TryGetValue(userId, out var until) && now < until;

    /// <summary>How many syncs may be dispatched now.</summary>
    /// <param name="patience">With a spacing: how long an unclaimed dispatch holds back the next one.</param>
    public int Room(DateTimeOffset now, TimeSpan spacing, int maxConcurrent, TimeSpan patience)
    {
        var free = Math.Max(0, maxConcurrent - _pending.Count - _running.Count);
        if (spacing <= TimeSpan.Zero)
        {
            return free;
        }
        var waiting = _pending.Values.Any(d => d.HoldsUntilClaimed || now - d.DispatchedAt < d.Patience(patience));
        return !waiting && now >= NextStartAllowed ? Math.Min(free, 1) : 0;
    }

    /// <summary>With a spacing: when <see cref="Room"/> opens again, unless a claim comes first.</summary>
    public DateTimeOffset SpacedRoomAt(TimeSpan patience)
    {
        var at = NextStartAllowed;
        foreach (var pending in _pending.Values)
        {
            var patienceEnds = pending.DispatchedAt + pending.Patience(patience);
            if (!pending.HoldsUntilClaimed && patienceEnds > at)
            {
                at = patienceEnds;
            }
        }
        return at;
    }

    public Dispatch Dispatch(SyncQueueEntry entry, DateTimeOffset now)
    {
        // A user sent back for claiming too late gets the slot to itself this time (until its claim or the claim
        // timeout): were its grain always slower than the patience, the users behind it would otherwise start first
        // every time, and it would never sync.
        var dispatch = new Dispatch(entry.UserId, ++_lastDispatchId, now, entry.Trigger, entry.SyncId)
        {
            HoldsUntilClaimed = _sentBack.Remove(entry.UserId),
            PatienceDivisor = 1 << _dispatchesSinceGrant,
        };
        _dispatchesSinceGrant = Math.Min(_dispatchesSinceGrant + 1, MaxPatienceHalvings);
        _pending[entry.UserId] = dispatch;
        _restingUntil.Remove(entry.UserId);
        return dispatch;
    }

    /// <summary>A dispatched grain asks to start. <see cref="ClaimResult.Unknown"/>: no dispatch of this user is known here (this activation is new).</summary>
    /// <param name="runningOn">The silo the grain runs on, so that its sync can be given up if that silo dies.</param>
    public (ClaimResult Result, Dispatch? Dispatch) Claim(string userId, long dispatchId, DateTimeOffset now, TimeSpan spacing, string? runningOn = null)
    {
        if (!_pending.TryGetValue(userId, out var pending) || pending.DispatchId != dispatchId)
        {
            return (Holds(userId) ? ClaimResult.Stale : ClaimResult.Unknown, null);
        }
        _pending.Remove(userId);
        if (spacing > TimeSpan.Zero && (now < NextStartAllowed || _pending.Values.Any(d => d.HoldsUntilClaimed)))
        {
            // A claim that outlasted the patience, after the next user went out and started: starting now would
            // break the spacing. Both are granted only a spacing apart; this one goes back to the queue. So does one
            // that would take the start a user sent back before is waiting for.
            _sentBack.Add(userId);
            return (ClaimResult.TooSoon, pending);
        }
        var running = pending with { StartedAt = now, RunningOn = runningOn };
        _running[userId] = running;
        _dispatchesSinceGrant = 0;
        if (spacing > TimeSpan.Zero)
        {
            NextStartAllowed = now + spacing + LatencyMargin(spacing);
        }
        return (ClaimResult.Granted, running);
    }

    /// <summary>The sync's outcome arrived: it no longer holds its user. Null when it was not running here.</summary>
    public Dispatch? Finish(string userId) => _running.Remove(userId, out var running) ? running : null;

    /// <summary>
    /// Dispatches not claimed within <paramref name="timeout"/> (busy grain, lost silo): their slots are given away,
    /// and their users rest for another <paramref name="timeout"/> (<see cref="IsResting"/>).
    /// </summary>
    public IReadOnlyList<Dispatch> TakeUnclaimed(DateTimeOffset now, TimeSpan timeout)
    {
        if (_restingUntil.Count > 0)
        {
            foreach (var rested in _restingUntil.Where(r => r.Value <= now).Select(r => r.Key).ToList())
            {
                _restingUntil.Remove(rested);
            }
        }
        var unclaimed = Take(_pending, d => now - d.DispatchedAt >= timeout);
        foreach (var dispatch in unclaimed)
        {
            _restingUntil[dispatch.UserId] = now + timeout;
        }
        return unclaimed;
    }

    /// <summary>Running syncs that never reported back within <paramref name="timeout"/> (their silo died unnoticed).</summary>
    public IReadOnlyList<Dispatch> TakeLost(DateTimeOffset now, TimeSpan timeout) => Take(_running, d => now - d.StartedAt > timeout);

    /// <summary>
    /// A silo was declared dead: any dispatch not yet claimed may have gone to a grain there and is lost (the user's
    /// next activation lives on a survivor), so all of them are given up and their users queued again; one that was
    /// on its way to a live grain is refused its claim and simply dispatched once more. Nobody rests any more either.
    /// Left alone, those users were what a round had left at its end, and waited out a claim timeout or two with
    /// nothing else to dispatch.
    /// </summary>
    public IReadOnlyList<Dispatch> TakePendingOnSiloLoss()
    {
        _restingUntil.Clear();
        return Take(_pending, _ => true);
    }

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
    /// <summary>A late claim that would start within a spacing of the last start: the user goes back in front of the queue.</summary>
    TooSoon,
}

/// <summary>One dispatched sync. <see cref="StartedAt"/> and <see cref="RunningOn"/> are set when its grain claims the start.</summary>
public sealed record Dispatch(string UserId, long DispatchId, DateTimeOffset DispatchedAt, SyncTrigger Trigger, Guid SyncId)
{
    public DateTimeOffset StartedAt { get; init; }

    public string? RunningOn { get; init; }

    /// <summary>Holds back the next start until it is claimed or given up, not only for the patience: see <see cref="DispatchGate.Dispatch"/>.</summary>
    public bool HoldsUntilClaimed { get; init; }

    /// <summary>1, or a power of two for a dispatch that went out while earlier ones were still unclaimed (see <see cref="DispatchGate"/>).</summary>
    public int PatienceDivisor { get; init; } = 1;

    /// <summary>How long this dispatch, unclaimed, holds back the next start.</summary>
    public TimeSpan Patience(TimeSpan configured) => configured / PatienceDivisor;
}
