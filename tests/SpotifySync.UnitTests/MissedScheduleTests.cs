using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class MissedScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_user_whose_last_sync_started_within_an_interval_and_the_grace_is_not_overdue()
    {
        Assert.False(MissedSchedule.IsOverdue(Now - Interval - Grace + TimeSpan.FromSeconds(1), anchor: Now.AddHours(-5), Interval, Grace, Now));
        Assert.False(MissedSchedule.IsOverdue(Now - Interval - Grace, anchor: Now.AddHours(-5), Interval, Grace, Now));
    }

    [Fact]
    public void A_user_whose_last_sync_started_longer_ago_is_overdue_whatever_its_anchor()
    {
        Assert.True(MissedSchedule.IsOverdue(Now - Interval - Grace - TimeSpan.FromSeconds(1), anchor: Now.AddMinutes(10), Interval, Grace, Now));
        Assert.True(MissedSchedule.IsOverdue(Now.AddDays(-3), anchor: null, Interval, Grace, Now));
    }

    [Fact]
    public void A_never_synced_user_is_overdue_once_its_first_due_time_is_a_grace_past()
    {
        Assert.False(MissedSchedule.IsOverdue(lastStarted: null, anchor: Now.AddMinutes(5), Interval, Grace, Now));
        Assert.False(MissedSchedule.IsOverdue(lastStarted: null, anchor: Now - Grace, Interval, Grace, Now));
        Assert.True(MissedSchedule.IsOverdue(lastStarted: null, anchor: Now - Grace - TimeSpan.FromSeconds(1), Interval, Grace, Now));
    }

    [Fact]
    public void A_user_without_anchor_or_sync_was_never_due()
    {
        Assert.False(MissedSchedule.IsOverdue(lastStarted: null, anchor: null, Interval, Grace, Now));
    }

    [Fact]
    public void The_coordinator_nudges_an_overdue_user_it_does_not_hold_and_not_again_within_an_interval()
    {
        var nudges = new MissedSyncNudges();

        Assert.Equal(["a", "c"], nudges.Select(["a", "b", "c"], held: id => id == "b", Interval, Now));
        Assert.Equal(["b"], nudges.Select(["a", "b", "c"], held: _ => false, Interval, Now.AddMinutes(1)));
        Assert.Empty(nudges.Select(["a", "b", "c"], held: _ => false, Interval, Now + Interval - TimeSpan.FromSeconds(1)));

        // An interval later its grain may decide differently (a backoff ended): it is nudged again, and forgotten
        // entries do not pile up.
        Assert.Equal(["a", "c"], nudges.Select(["a", "c"], held: _ => false, Interval, Now + Interval));
        Assert.Equal(3, nudges.Remembered);
        Assert.Empty(nudges.Select([], held: _ => false, Interval, Now.AddHours(2)));
        Assert.Equal(0, nudges.Remembered);
    }
}
