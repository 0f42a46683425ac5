using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Options;

namespace SpotifySync.UnitTests;

public sealed class InvalidGrantStormTests
{
    private static readonly InvalidGrantStormOptions Options = new()
    {
        MinUsers = 3,
        MinShare = 0.2,
        Window = TimeSpan.FromMinutes(10),
        Pause = TimeSpan.FromMinutes(30),
    };

    private readonly InvalidGrantStorm _storm = new();

    /// <summary>The fake clock: the detector is told the time, never reads it.</summary>
    private DateTimeOffset Now { get; set; } = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private void Advance(TimeSpan by) => Now += by;

    private void Attempts(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(_storm.TryBeginRefresh(Now, Options));
        }
    }

    [Fact]
    public void A_lone_refusal_is_held_for_the_window_and_then_erased()
    {
        Attempts(1);
        Assert.False(_storm.Refused("u1", Now, Options));
        Assert.Equal(1, _storm.Quarantined);

        Advance(Options.Window - TimeSpan.FromSeconds(1));
        Assert.Empty(_storm.TakeDueForErase(Now));

        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["u1"], _storm.TakeDueForErase(Now));
        Assert.Empty(_storm.TakeDueForErase(Now));
        Assert.Equal(0, _storm.Quarantined);
        Assert.Null(_storm.TakeNextRetry(Now));
    }

    [Fact]
    public void Enough_users_and_a_large_enough_share_make_a_storm_that_keeps_the_first_ones_and_stops_refreshes()
    {
        Attempts(10);
        Assert.False(_storm.Refused("u1", Now, Options));
        Advance(TimeSpan.FromMinutes(1));
        Assert.False(_storm.Refused("u2", Now, Options));

        Assert.True(_storm.Refused("u3", Now, Options));

        Assert.True(_storm.IsStorm(Now));
        Assert.Equal(3, _storm.UsersRefusedAtDetection);
        Assert.False(_storm.TryBeginRefresh(Now, Options));
        // Past the first users' windows: held no more for an erase, but for the retry after the storm.
        Advance(Options.Window);
        Assert.Empty(_storm.TakeDueForErase(Now));
        Assert.Null(_storm.TakeNextRetry(Now));
        Assert.Equal(3, _storm.Quarantined);
    }

    [Fact]
    public void Refusals_that_are_a_small_share_of_the_attempts_are_no_storm()
    {
        Attempts(100);
        foreach (var user in new[] { "u1", "u2", "u3", "u4", "u5" })
        {
            Assert.False(_storm.Refused(user, Now, Options));
        }

        Assert.False(_storm.IsStorm(Now));
        Advance(Options.Window);
        Assert.Equal(5, _storm.TakeDueForErase(Now).Count);
    }

    [Fact]
    public void Refusals_spread_over_more_than_the_window_are_no_storm()
    {
        foreach (var user in new[] { "u1", "u2", "u3", "u4" })
        {
            Attempts(1);
            Assert.False(_storm.Refused(user, Now, Options));
            Advance(Options.Window / 2 + TimeSpan.FromSeconds(1));
        }

        Assert.False(_storm.IsStorm(Now));
    }

    [Fact]
    public void After_the_pause_the_quarantined_users_are_retried_one_at_a_time_and_a_refusal_is_held_again()
    {
        Attempts(3);
        _storm.Refused("u1", Now, Options);
        _storm.Refused("u2", Now, Options);
        _storm.Refused("u3", Now, Options);
        Advance(TimeSpan.FromMinutes(1));
        // Refused during the storm (a refresh sent before it was detected): retried too.
        Assert.False(_storm.Refused("u4", Now, Options));

        Advance(Options.Pause);
        Assert.True(_storm.Ended(Now));
        Assert.False(_storm.Ended(Now));
        Assert.True(_storm.TryBeginRefresh(Now, Options));
        Assert.Equal("u1", _storm.TakeNextRetry(Now));
        Assert.Null(_storm.TakeNextRetry(Now));

        _storm.Lifted("u1");
        Assert.Equal("u2", _storm.TakeNextRetry(Now));
        Assert.False(_storm.Refused("u2", Now, Options));
        Assert.Equal("u3", _storm.TakeNextRetry(Now));
        _storm.Lifted("u3");
        Assert.Equal("u4", _storm.TakeNextRetry(Now));
        _storm.Lifted("u4");
        Assert.Null(_storm.TakeNextRetry(Now));

        // u2 is still refused after the storm: its own refusal, erased when its window closes without a storm.
        Advance(Options.Window);
        Assert.Equal(["u2"], _storm.TakeDueForErase(Now));
        Assert.Equal(0, _storm.Quarantined);
    }

    [Fact]
    public void A_retry_that_never_answers_goes_back_to_the_end_of_the_line()
    {
        _storm.Restore(["u1", "u2"], pausedUntil: null);

        Assert.Equal("u1", _storm.TakeNextRetry(Now));
        Advance(InvalidGrantStorm.RetryAnswerTimeout);
        Assert.Equal("u2", _storm.TakeNextRetry(Now));
        _storm.Lifted("u2");
        Assert.Equal("u1", _storm.TakeNextRetry(Now));
    }

    [Fact]
    public void A_restored_storm_keeps_refreshes_stopped_until_its_end()
    {
        _storm.Restore(["u1"], pausedUntil: Now + TimeSpan.FromMinutes(5));

        Assert.False(_storm.TryBeginRefresh(Now, Options));
        Assert.Null(_storm.TakeNextRetry(Now));
        Advance(TimeSpan.FromMinutes(5));
        Assert.True(_storm.Ended(Now));
        Assert.Equal("u1", _storm.TakeNextRetry(Now));
    }

    [Fact]
    public void A_user_lifted_while_waiting_is_skipped()
    {
        _storm.Restore(["u1", "u2"], pausedUntil: null);
        _storm.Lifted("u1");

        Assert.Equal("u2", _storm.TakeNextRetry(Now));
        Assert.Equal(1, _storm.Quarantined);
    }
}
