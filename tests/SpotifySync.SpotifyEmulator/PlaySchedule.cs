namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// A user's whole listening history as a pure function of the play's position, so nothing is stored and
/// any slice can be rebuilt on demand from any thread.
/// </summary>
/// <remarks>
/// Play <c>g</c> owns the time slot <c>(start, end]</c>: initial plays fill the slots that end at creation
/// time, later plays one slot per interval after it. A play lands near the end of its slot, so plays are
/// strictly increasing whatever the interval and the first new play arrives one interval after creation.
/// </remarks>
internal sealed class PlaySchedule
{
    private const long InitialSpacingWithoutIntervalMs = 3 * 60 * 1000;

    private readonly string userId;
    private readonly long createdAtMs;
    private readonly int initialPlays;
    private readonly long initialSpacingMs;
    private readonly long intervalMs;
    private readonly bool includeLocalFiles;

    public PlaySchedule(string userId, DateTimeOffset createdAt, EmulatorUserSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(settings.InitialPlays);
        this.userId = userId;
        createdAtMs = createdAt.ToUnixTimeMilliseconds();
        initialPlays = settings.InitialPlays;
        intervalMs = IntervalMs(settings.PlayInterval);
        initialSpacingMs = intervalMs > 0 ? intervalMs : InitialSpacingWithoutIntervalMs;
        includeLocalFiles = settings.IncludeLocalFiles;
    }

    /// <summary>How many plays have happened by <paramref name="now"/> (played_at &lt;= now).</summary>
    public long CountDue(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();

        // Upper bound on the count, then a binary search: play times are strictly increasing.
        var high = initialPlays + (intervalMs > 0 && nowMs >= createdAtMs ? (nowMs - createdAtMs) / intervalMs + 1 : 0);
        var low = 0L;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (PlayedAtMs(middle) <= nowMs)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    public EmulatorPlay PlayAt(long sequence)
    {
        var hash = StableHash.Of(userId, sequence);
        var track = IsLocalFile(sequence)
            ? FakeTrackCatalog.LocalFiles[StableHash.Pick(hash >> 8, FakeTrackCatalog.LocalFiles.Count)]
            : FakeTrackCatalog.Tracks[StableHash.Pick(hash >> 8, FakeTrackCatalog.Tracks.Count)];
        var context = StableHash.Pick(hash >> 24, 3) == 0
            ? null
            : FakeTrackCatalog.Playlists[StableHash.Pick(hash >> 32, FakeTrackCatalog.Playlists.Count)];
        return new EmulatorPlay(userId, sequence, track, context, DateTimeOffset.FromUnixTimeMilliseconds(PlayedAtMs(sequence)));
    }

    /// <summary>Plays <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), oldest first.</summary>
    public IReadOnlyList<EmulatorPlay> Range(long from, long to)
    {
        var plays = new List<EmulatorPlay>((int)Math.Max(0, Math.Min(to - from, 1_000_000)));
        for (var sequence = Math.Max(0, from); sequence < to; sequence++)
        {
            plays.Add(PlayAt(sequence));
        }

        return plays;
    }

    private bool IsLocalFile(long sequence) => includeLocalFiles && sequence % 7 == 6;

    private long PlayedAtMs(long sequence)
    {
        long slotEnd, slotLength;
        if (sequence < initialPlays)
        {
            slotLength = initialSpacingMs;
            slotEnd = createdAtMs - (initialPlays - 1 - sequence) * initialSpacingMs;
        }
        else
        {
            slotLength = intervalMs;
            slotEnd = createdAtMs + (sequence - initialPlays + 1) * intervalMs;
        }

        var slotStart = slotEnd - slotLength;

        // Spotify sometimes sends played_at without milliseconds: every 5th play lands on a whole second.
        if (sequence % 5 == 4)
        {
            var wholeSecond = slotEnd - slotEnd % 1000;
            if (wholeSecond > slotStart)
            {
                return wholeSecond;
            }
        }

        var playedAt = slotEnd - (long)(StableHash.Of(userId, ~sequence) % (ulong)Math.Min(slotLength, 1000));
        if (playedAt % 1000 == 0 && playedAt - 1 > slotStart)
        {
            playedAt--;
        }

        return playedAt;
    }

    private static long IntervalMs(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || interval == Timeout.InfiniteTimeSpan || interval >= TimeSpan.FromDays(3650))
        {
            return 0;
        }

        // Whole milliseconds keep play times on Spotify's precision; never below 1 ms so slots stay ordered.
        return Math.Max(1, (long)Math.Ceiling(interval.TotalMilliseconds));
    }
}
