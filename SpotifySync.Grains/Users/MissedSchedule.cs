namespace SpotifySync.Grains.Users;

/// <summary>
/// When a user's scheduled sync counts as missed: no sync started for longer than one interval plus a grace. Orleans'
/// reminder service can skip a tick of a reminder whose period is longer than its loading window (a list refresh that
/// runs just after the due time, before the tick was sent, unloads the reminder until its next due time), and a
/// reminder row can be lost; the coordinator's check (<c>MissedSyncWatch</c>) finds such users with this rule and their
/// grain, deciding again with its own row, queues the sync the tick would have queued.
/// </summary>
public static class MissedSchedule
{
    /// <summary>A user whose last sync started before this is overdue now.</summary>
    public static DateTimeOffset StartedBefore(DateTimeOffset now, TimeSpan interval, TimeSpan grace) => now - interval - grace;

    /// <summary>
    /// Whether the user is overdue. Never synced: its first due time is the reminder's anchor, so it counts as if its
    /// last sync had started one interval before that. No anchor and no sync: nothing was ever due.
    /// </summary>
    public static bool IsOverdue(DateTimeOffset? lastStarted, DateTimeOffset? anchor, TimeSpan interval, TimeSpan grace, DateTimeOffset now) =>
        (lastStarted ?? anchor - interval) is { } since && since < StartedBefore(now, interval, grace);
}
