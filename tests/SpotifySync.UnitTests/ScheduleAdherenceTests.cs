using SpotifySync.Benchmarks.Steady;

namespace SpotifySync.UnitTests;

/// <summary>The steady benchmark's verdicts must be right before its figures mean anything.</summary>
public sealed class ScheduleAdherenceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);
    private static readonly DateTimeOffset Anchor = new(2026, 12, 1, 10, 7, 0, TimeSpan.Zero);

    // Watching starts mid-interval: the first due time judged is the anchor's next multiple after it.
    private static readonly DateTimeOffset From = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FirstDue = new(2026, 12, 1, 12, 7, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset JudgeUntil = From + 2 * Interval;
    private static readonly DateTimeOffset ObservedUntil = JudgeUntil + Interval / 10 + TimeSpan.FromSeconds(30);

    private static ScheduleAdherence Judge(params DateTimeOffset[] syncs) =>
        ScheduleAdherence.Of(Anchor, Interval, syncs, From, JudgeUntil, ObservedUntil);

    [Fact]
    public void Syncs_at_each_due_time_are_served_on_time()
    {
        var result = Judge(FirstDue.AddSeconds(2), FirstDue + Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(2, result.DueTimes);
        Assert.Equal(0, result.Missed);
        Assert.Equal(0, result.Extra);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)], result.Lateness);
    }

    [Fact]
    public void A_due_time_without_a_sync_before_the_next_one_is_missed()
    {
        // The second sync comes after the second due time: it serves that one, not the first.
        var result = Judge(FirstDue + Interval + TimeSpan.FromSeconds(5));

        Assert.Equal(1, result.Missed);
        Assert.Equal([TimeSpan.FromSeconds(5)], result.Lateness);
        Assert.Equal(new MissedDueTime(FirstDue, default, FirstDue + Interval + TimeSpan.FromSeconds(5)), Assert.Single(result.MissedDueTimes));
    }

    [Fact]
    public void A_second_sync_within_one_interval_is_extra_and_the_first_sets_the_lateness()
    {
        var result = Judge(FirstDue.AddMinutes(10), FirstDue.AddMinutes(1), FirstDue + Interval);

        Assert.Equal(0, result.Missed);
        Assert.Equal(1, result.Extra);
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.Zero], result.Lateness);
    }

    [Fact]
    public void Syncs_before_the_window_serve_nothing_and_a_late_last_sync_counts_only_until_watching_ended()
    {
        // A sync just before the first due time is the previous interval's; the last due time's sync came after watching ended.
        var result = Judge(FirstDue.AddSeconds(-1), FirstDue.AddSeconds(3), ObservedUntil.AddSeconds(1));

        Assert.Equal(2, result.DueTimes);
        Assert.Equal(1, result.Missed);
        Assert.Equal(0, result.Extra);
        Assert.Equal([TimeSpan.FromSeconds(3)], result.Lateness);
    }

    [Fact]
    public void A_due_time_exactly_at_the_end_of_judging_is_judged()
    {
        var anchor = From;
        var result = ScheduleAdherence.Of(anchor, Interval, [From, From + Interval, JudgeUntil], From, JudgeUntil, ObservedUntil);

        Assert.Equal(3, result.DueTimes);
        Assert.Equal(0, result.Missed);
    }

    [Fact]
    public void Nothing_is_due_before_the_anchor_even_when_it_lies_more_than_an_interval_after_the_start()
    {
        // Connected just before watching began, first due time moved one interval on: the first tick is the anchor.
        var anchor = From + Interval + TimeSpan.FromSeconds(20);
        var result = ScheduleAdherence.Of(anchor, Interval, [anchor + TimeSpan.FromSeconds(1)], From, JudgeUntil, ObservedUntil);

        Assert.Equal(1, result.DueTimes);
        Assert.Equal(0, result.Missed);
    }

    [Fact]
    public void Due_times_served_late_or_twice_are_listed_with_their_syncs()
    {
        var late = FirstDue.AddMinutes(4);
        var twice = new[] { FirstDue + Interval + TimeSpan.FromSeconds(1), FirstDue + Interval + TimeSpan.FromMinutes(2) };
        var result = ScheduleAdherence.Of(Anchor, Interval, [late, .. twice], From, JudgeUntil, ObservedUntil, lateAfter: Interval / 10);

        Assert.Equal([new IrregularDueTime(FirstDue, [late]), new IrregularDueTime(FirstDue + Interval, twice)], result.IrregularDueTimes,
            (a, b) => a.Due == b.Due && a.Syncs.SequenceEqual(b.Syncs));
    }
}
