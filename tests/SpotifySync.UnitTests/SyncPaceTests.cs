using SpotifySync.Grains.Coordination;

namespace SpotifySync.UnitTests;

public sealed class SyncPaceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    [Fact]
    public void Syncs_finished_with_users_waiting_give_the_time_between_two_syncs()
    {
        var pace = new SyncPace(Window);
        // 28 starts a second for 10 s, as a budget of 1,700 calls per 30 s at two calls per sync would allow.
        for (var i = 0; i < 280; i++)
        {
            pace.Finished(Now + TimeSpan.FromSeconds(i / 28.0), othersWaiting: true);
        }

        var interval = pace.Interval(Now + TimeSpan.FromSeconds(10));

        Assert.NotNull(interval);
        Assert.InRange(interval.Value.TotalMilliseconds, 35, 37);
    }

    [Fact]
    public void Syncs_finished_with_nobody_waiting_measure_the_work_not_the_pace_and_are_not_counted()
    {
        var pace = new SyncPace(Window);
        for (var i = 0; i < 100; i++)
        {
            pace.Finished(Now + TimeSpan.FromSeconds(i * 0.1), othersWaiting: false);
        }

        Assert.Null(pace.Interval(Now + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Too_few_syncs_say_nothing_and_syncs_older_than_the_window_leave_it()
    {
        var pace = new SyncPace(Window);
        for (var i = 0; i < SyncPace.MinSyncs - 1; i++)
        {
            pace.Finished(Now + TimeSpan.FromSeconds(i), othersWaiting: true);
        }
        Assert.Null(pace.Interval(Now + TimeSpan.FromSeconds(5)));

        pace.Finished(Now + TimeSpan.FromSeconds(5), othersWaiting: true);
        Assert.Equal(TimeSpan.FromSeconds(6) / SyncPace.MinSyncs, pace.Interval(Now + TimeSpan.FromSeconds(6)));

        // 30 s after the first sync it leaves the window, and with it the estimate.
        Assert.Null(pace.Interval(Now + Window));
    }
}
