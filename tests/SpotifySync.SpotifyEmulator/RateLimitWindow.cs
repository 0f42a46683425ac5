namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// Spotify's rate limit as Spotify describes it: an app may make so many calls in a rolling window (30 s unless
/// changed). A call arriving when the calls admitted in the last window length already reach the limit is refused
/// and told how long until enough of them have left the window for one more to fit.
/// </summary>
/// <remarks>
/// <para>Refused calls are not counted. Spotify does not publish whether they are; not counting them keeps the
/// promise of Retry-After (a client that waits it gets in, unless others took the room first), whereas counting
/// them would let a client that retries too early keep itself locked out.</para>
/// <para>Admitted calls are counted with no limit set as well, so <see cref="MaxCount"/> measures the peak rate
/// of a run that is not limited. Every method takes the time, so any clock (a fake one in tests) drives it;
/// the lock makes it safe for concurrent requests.</para>
/// </remarks>
internal sealed class RateLimitWindow
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromSeconds(30);

    // Below this many expired entries the dead prefix is left in place: cutting it costs a copy of the live part.
    private const int CompactAfter = 64;

    private readonly Lock gate = new();

    // Arrival times (UTC ticks) of admitted calls, oldest first; live from index `oldest` on. Expired entries are
    // skipped one by one and cut off in bulk once they are the larger part, so each call costs amortised O(1),
    // and any entry can be read by position (needed when the limit is lowered below the calls already counted).
    private readonly List<long> admitted = [];
    private int oldest;
    private int? limit;
    private TimeSpan length = DefaultLength;
    private long refusals;
    private int maxCount;

    /// <summary>Calls admitted per window; null admits everything.</summary>
    public int? Limit
    {
        get { lock (gate) { return limit; } }
        set
        {
            if (value is { } calls)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1, nameof(value));
            }

            lock (gate) { limit = value; }
        }
    }

    /// <summary>How far back admitted calls count. Shortening it forgets calls at once; lengthening it does not
    /// bring back calls already forgotten.</summary>
    public TimeSpan Length
    {
        get { lock (gate) { return length; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            lock (gate) { length = value; }
        }
    }

    /// <summary>Calls refused by the limit since the last <see cref="Reset"/>.</summary>
    public long Refusals
    {
        get { lock (gate) { return refusals; } }
    }

    /// <summary>The most calls admitted within any one window length since the last <see cref="Reset"/>.</summary>
    public int MaxCount
    {
        get { lock (gate) { return maxCount; } }
    }

    private int Count => admitted.Count - oldest;

    /// <summary>Calls admitted in the window that ends at <paramref name="now"/>.</summary>
    public int CountAt(DateTimeOffset now)
    {
        lock (gate)
        {
            Expire(now.UtcTicks);
            return Count;
        }
    }

    /// <summary>Counts a call arriving at <paramref name="now"/> if the limit lets it in; otherwise says how long
    /// until it would.</summary>
    /// <param name="retryAfter">When refused: the time until enough counted calls have left the window for one
    /// more to fit (always positive); zero when admitted.</param>
    public bool TryAdmit(DateTimeOffset now, out TimeSpan retryAfter)
    {
        lock (gate)
        {
            // Concurrent callers read the clock before they get the lock: never record a time older than the
            // newest, so the list stays in order and its head is always the first call to leave the window.
            var ticks = Count > 0 ? Math.Max(now.UtcTicks, admitted[^1]) : now.UtcTicks;
            Expire(ticks);
            if (limit is { } max && Count >= max)
            {
                // Usually the oldest call; after the limit was lowered, more than one must leave before a call fits.
                var leavesLast = admitted[oldest + Count - max];
                retryAfter = TimeSpan.FromTicks(leavesLast + length.Ticks - ticks);
                refusals++;
                return false;
            }

            admitted.Add(ticks);
            maxCount = Math.Max(maxCount, Count);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>No limit, the default length, nothing counted.</summary>
    public void Reset()
    {
        lock (gate)
        {
            admitted.Clear();
            oldest = 0;
            limit = null;
            length = DefaultLength;
            refusals = 0;
            maxCount = 0;
        }
    }

    // A call admitted at t is in the window (now - length, now]: it leaves once now reaches t + length.
    private void Expire(long nowTicks)
    {
        var leftBefore = nowTicks - length.Ticks;
        while (oldest < admitted.Count && admitted[oldest] <= leftBefore)
        {
            oldest++;
        }

        if (oldest == admitted.Count)
        {
            admitted.Clear();
            oldest = 0;
        }
        else if (oldest >= CompactAfter && oldest * 2 >= admitted.Count)
        {
            admitted.RemoveRange(0, oldest);
            oldest = 0;
        }
    }
}
