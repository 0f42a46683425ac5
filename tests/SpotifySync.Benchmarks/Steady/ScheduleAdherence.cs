namespace SpotifySync.Benchmarks.Steady;

/// <summary>
/// How well one user's scheduled syncs kept to their reminder over a window: each due time
/// <c>anchor + k × interval</c> inside the window is served by the first sync at or after it and before the next due
/// time; that sync's delay is its lateness. A due time with no sync before the next one (or before the watching
/// ended) is missed; a second sync before the next due time is an extra one.
/// </summary>
internal sealed record ScheduleAdherence(int DueTimes, int Missed, int Extra, IReadOnlyList<TimeSpan> Lateness)
{
    /// <summary>Each missed due time with the user's nearest syncs before and after it, to tell why it was missed.</summary>
    public IReadOnlyList<MissedDueTime> MissedDueTimes { get; init; } = [];

    /// <summary>Each due time served late (after <c>lateAfter</c>) or more than once, with all its syncs, to tell why.</summary>
    public IReadOnlyList<IrregularDueTime> IrregularDueTimes { get; init; } = [];

    /// <param name="syncs">When Spotify saw the user's syncs (any order).</param>
    /// <param name="from">Due times from here on are judged...</param>
    /// <param name="judgeUntil">...up to here.</param>
    /// <param name="observedUntil">Syncs were watched until here: a due time not served by then counts as missed.</param>
    /// <param name="lateAfter">A due time served later than this is listed in <see cref="IrregularDueTimes"/>.</param>
    public static ScheduleAdherence Of(
        DateTimeOffset anchor, TimeSpan interval, IEnumerable<DateTimeOffset> syncs, DateTimeOffset from, DateTimeOffset judgeUntil, DateTimeOffset observedUntil,
        TimeSpan? lateAfter = null)
    {
        var times = syncs.Order().ToArray();
        // The reminder's first tick is the anchor: nothing is due before it, however far after the start it lies (a
        // first due time sooner than a minute after the connect moves one interval on).
        var due = anchor + interval * Math.Max(0, Math.Ceiling((from - anchor) / interval));
        var dueTimes = 0;
        var missed = 0;
        var extra = 0;
        var lateness = new List<TimeSpan>();
        var missedDueTimes = new List<MissedDueTime>();
        var irregular = new List<IrregularDueTime>();
        for (; due <= judgeUntil; due += interval)
        {
            dueTimes++;
            var end = due + interval < observedUntil ? due + interval : observedUntil;
            var served = times.Where(t => t >= due && t < end).ToArray();
            if (served.Length == 0)
            {
                missed++;
                missedDueTimes.Add(new MissedDueTime(due, times.LastOrDefault(t => t < due), times.FirstOrDefault(t => t >= due)));
                continue;
            }
            lateness.Add(served[0] - due);
            extra += served.Length - 1;
            if (served.Length > 1 || served[0] - due > (lateAfter ?? interval))
            {
                irregular.Add(new IrregularDueTime(due, served));
            }
        }
        return new ScheduleAdherence(dueTimes, missed, extra, lateness) { MissedDueTimes = missedDueTimes, IrregularDueTimes = irregular };
    }
}

/// <param name="SyncBefore">The user's last sync before the due time (default: none).</param>
/// <param name="SyncAfter">The user's first sync at or after it (default: none).</param>
internal sealed record MissedDueTime(DateTimeOffset Due, DateTimeOffset SyncBefore, DateTimeOffset SyncAfter);

/// <param name="Syncs">The syncs that came between the due time and the next one, in order.</param>
internal sealed record IrregularDueTime(DateTimeOffset Due, IReadOnlyList<DateTimeOffset> Syncs);
