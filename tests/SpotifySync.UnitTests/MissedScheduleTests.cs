using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class MissedScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_user_is_overdue_once_its_next_due_time_is_more_than_a_grace_past()
    {
        Assert.False(MissedSchedule.IsOverdue(Now.AddMinutes(5), Grace, Now));
        Assert.False(MissedSchedule.IsOverdue(Now - Grace, Grace, Now));
        Assert.True(MissedSchedule.IsOverdue(Now - Grace - TimeSpan.FromSeconds(1), Grace, Now));
        Assert.False(MissedSchedule.IsOverdue(nextDue: null, Grace, Now));
    }

    [Fact]
    public void After_a_sync_the_next_due_time_is_the_reminders_not_an_interval_after_the_sync()
    {
        var anchor = new DateTimeOffset(2026, 12, 1, 10, 7, 0, TimeSpan.Zero);

        // The connect's own sync, before the reminder's first tick: held to that tick.
        Assert.Equal(anchor, MissedSchedule.NextDueAfter(anchor, Interval, anchor.AddMinutes(-20)));
        // A manual sync 20 minutes into an interval: the next tick is 10 minutes later, not 30.
        Assert.Equal(anchor + 3 * Interval, MissedSchedule.NextDueAfter(anchor, Interval, anchor + 2 * Interval + TimeSpan.FromMinutes(20)));
        // The tick's own sync starts just after its due time: held to the one after.
        Assert.Equal(anchor + 3 * Interval, MissedSchedule.NextDueAfter(anchor, Interval, anchor + 2 * Interval + TimeSpan.FromSeconds(1)));
        // No anchor (a row without a reminder): an interval after the sync.
        Assert.Equal(Now + Interval, MissedSchedule.NextDueAfter(null, Interval, Now));
    }

    [Fact]
    public void A_skipped_tick_after_a_manual_sync_is_overdue_a_grace_after_it_where_the_old_rule_waited_most_of_an_interval()
    {
        var tick = Now - Grace - TimeSpan.FromSeconds(1);
        var manualSync = tick - TimeSpan.FromMinutes(25);
        var stored = MissedSchedule.NextDueAfter(anchor: tick - 4 * Interval, Interval, manualSync);

        Assert.Equal(tick, stored);
        Assert.True(MissedSchedule.IsOverdue(MissedSchedule.NextDue(stored, manualSync, tick - 4 * Interval, Interval), Grace, Now));
        // Judged from the sync alone (a row written before next_sync_due_at), the same user is not overdue for 25 more minutes.
        Assert.False(MissedSchedule.IsOverdue(MissedSchedule.NextDue(null, manualSync, tick - 4 * Interval, Interval), Grace, Now));
    }

    [Fact]
    public void A_row_written_before_next_sync_due_at_is_held_to_an_interval_after_its_last_sync_or_to_its_anchor()
    {
        var anchor = Now.AddHours(-5);

        Assert.Equal(Now.AddHours(-2) + Interval, MissedSchedule.NextDue(null, Now.AddHours(-2), anchor, Interval));
        Assert.Equal(anchor, MissedSchedule.NextDue(null, lastStarted: null, anchor, Interval));
        Assert.Null(MissedSchedule.NextDue(null, lastStarted: null, anchor: null, Interval));
        // A stored due time wins over both.
        Assert.Equal(Now, MissedSchedule.NextDue(Now, Now.AddHours(-2), anchor, Interval));
    }

    [Fact]
    public void The_coordinator_nudges_an_overdue_user_it_does_not_hold_and_not_again_within_half_an_interval()
    {
        var nudges = new MissedSyncNudges();

        Assert.Equal(["a", "c"], nudges.Select(["a", "b", "c"], held: id => id == "b", Interval, Now));
        Assert.Equal(["b"], nudges.Select(["a", "b", "c"], held: _ => false, Interval, Now.AddMinutes(1)));
        Assert.Empty(nudges.Select(["a", "b", "c"], held: _ => false, Interval, Now + Interval / 2 - TimeSpan.FromSeconds(1)));

        // Half an interval later its grain may decide differently (a backoff ended), or its next due time has come
        // and gone, skipped again: it is nudged again (not an interval later, which would catch it as late as the
        // first time, every time), and forgotten entries do not pile up.
        Assert.Equal(["a", "c"], nudges.Select(["a", "c"], held: _ => false, Interval, Now + Interval / 2));
        Assert.Equal(3, nudges.Remembered);
        Assert.Empty(nudges.Select([], held: _ => false, Interval, Now.AddHours(2)));
        Assert.Equal(0, nudges.Remembered);
    }
}
