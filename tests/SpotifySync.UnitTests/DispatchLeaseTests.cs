using SpotifySync.Grains.Coordination;

namespace SpotifySync.UnitTests;

public sealed class DispatchLeaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void A_new_activation_holds_nothing_and_asks_at_once()
    {
        var lease = new DispatchLease(Duration);

        Assert.False(lease.Holds(Now));
        Assert.True(lease.AttemptDue(Now));
    }

    [Fact]
    public void The_lease_counts_from_when_it_was_asked_for_less_the_margin_so_it_ends_before_postgres_expiry()
    {
        var lease = new DispatchLease(Duration);
        // PostgreSQL answered 300 ms after the question; its expiry is at least askedAt + 10 s by its own clock.
        Assert.Equal(LeaseChange.Acquired, lease.Taken(askedAt: Now, now: Now + Seconds(0.3)));

        Assert.Equal(Now + Seconds(9), lease.ValidUntil);
        Assert.True(lease.Holds(Now + Seconds(8.99)));
        Assert.False(lease.Holds(Now + Seconds(9)));
    }

    [Fact]
    public void Renewals_come_every_quarter_and_a_renewal_is_no_change()
    {
        var lease = new DispatchLease(Duration);
        lease.Taken(Now, Now);

        Assert.False(lease.AttemptDue(Now + Seconds(2.4)));
        Assert.True(lease.AttemptDue(Now + Seconds(2.5)));
        Assert.Equal(LeaseChange.None, lease.Taken(Now + Seconds(2.5), Now + Seconds(2.6)));
        Assert.Equal(Now + Seconds(11.5), lease.ValidUntil);
    }

    [Fact]
    public void Failed_renewals_keep_dispatching_until_the_lease_runs_out_and_say_so_once()
    {
        var lease = new DispatchLease(Duration);
        lease.Taken(Now, Now);
        var lastCheck = Now;
        var lapses = 0;
        for (var t = Now + Seconds(2.5); t < Now + Seconds(15); t += Seconds(0.5))
        {
            if (lease.AttemptDue(t))
            {
                lease.Failed(t);
            }
            Assert.Equal(t < Now + Seconds(9), lease.Holds(t));
            lapses += lease.LapsedBetween(lastCheck, t) ? 1 : 0;
            lastCheck = t;
        }

        Assert.Equal(1, lapses);
    }

    [Fact]
    public void Another_holder_stops_dispatch_at_once_and_is_asked_again_soon()
    {
        var lease = new DispatchLease(Duration);
        lease.Taken(Now, Now);

        Assert.Equal(LeaseChange.Lost, lease.Refused(Now + Seconds(3)));
        Assert.False(lease.Holds(Now + Seconds(3)));
        Assert.False(lease.AttemptDue(Now + Seconds(3.5)));
        Assert.True(lease.AttemptDue(Now + Seconds(4)));
        Assert.Equal(LeaseChange.None, lease.Refused(Now + Seconds(4)));
        Assert.Equal(LeaseChange.Acquired, lease.Taken(Now + Seconds(20), Now + Seconds(20)));
    }

    [Fact]
    public void A_first_refusal_says_the_lease_is_held_elsewhere()
    {
        Assert.Equal(LeaseChange.HeldElsewhere, new DispatchLease(Duration).Refused(Now));
    }
}
