namespace SpotifySync.Grains.Users;

/// <summary>
/// When a user's scheduled sync counts as missed: its reminder's next due time after the last sync started has passed
/// by more than a grace, and no sync started since. Orleans' reminder service can skip a tick of a reminder whose
/// period is longer than its loading window (a list refresh that runs just after the due time, before the tick was
/// sent, unloads the reminder until its next due time), and a reminder row can be lost; the coordinator's check
/// (<c>MissedSyncWatch</c>) finds such users with this rule and their grain, deciding again with its own row, queues
/// the sync the tick would have queued.
/// <para>
/// Measured from the due time, not from the last sync: after a connect, a manual sync or a sync-all the next tick is
/// the reminder's, up to an interval later than "last sync + interval". The steady benchmark found skipped first ticks
/// after the connects caught 18 to 30 minutes late (at 30-minute intervals) when the rule was "no sync for an interval".
/// </para>
/// </summary>
public static class MissedSchedule
{
    /// <summary>A user whose next due time is before this, and who has not started a sync since, is overdue now.</summary>
    public static DateTimeOffset DueBefore(DateTimeOffset now, TimeSpan grace) => now - grace;

    /// <summary>
    /// The first due time of the reminder (first due at <paramref name="anchor"/>, every <paramref name="interval"/>)
    /// after a sync that started at <paramref name="startedAt"/>: stored with the sync's outcome as the row's
    /// <c>next_sync_due_at</c>, the column the check's query reads.
    /// </summary>
    public static DateTimeOffset NextDueAfter(DateTimeOffset? anchor, TimeSpan interval, DateTimeOffset startedAt) =>
        SyncSchedule.NextDue(anchor, interval, startedAt) ?? startedAt + interval;

    /// <summary>
    /// The due time a user is held to: the stored one; for a row written before that column, one interval after its last
    /// sync started, or its anchor when it never synced; none without either (nothing was ever due).
    /// </summary>
    public static DateTimeOffset? NextDue(DateTimeOffset? stored, DateTimeOffset? lastStarted, DateTimeOffset? anchor, TimeSpan interval) =>
        stored ?? lastStarted + interval ?? anchor;

    public static bool IsOverdue(DateTimeOffset? nextDue, TimeSpan grace, DateTimeOffset now) =>
        nextDue is { } due && due < DueBefore(now, grace);
}
