using SpotifySync.Grains.Budget;

namespace SpotifySync.UnitTests;

public sealed class CallBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Asks for one permit every <paramref name="step"/> for <paramref name="duration"/>; returns the grant times.</summary>
    private static List<DateTimeOffset> Drive(CallBudget budget, DateTimeOffset from, TimeSpan duration, TimeSpan step)
    {
        var grants = new List<DateTimeOffset>();
        for (var now = from; now < from + duration; now += step)
        {
            if (budget.Take(1, now).Granted == 1)
            {
                grants.Add(now);
            }
        }
        return grants;
    }

    private static int MaxInAnyWindow(IReadOnlyList<DateTimeOffset> grants, TimeSpan window)
    {
        var max = 0;
        for (int first = 0, last = 0; last < grants.Count; last++)
        {
            while (grants[last] - grants[first] >= window)
            {
                first++;
            }
            max = Math.Max(max, last - first + 1);
        }
        return max;
    }

    [Fact]
    public void No_budget_grants_everything_at_once()
    {
        var budget = new CallBudget(0, Start);
        Assert.Equal((1000, Start), budget.Take(1000, Start));
        Assert.Equal(1000, budget.SentInLast30Seconds(Start));
    }

    [Fact]
    public void Under_constant_demand_no_30_second_window_gets_more_than_the_budget_and_almost_all_of_it_is_used()
    {
        var budget = new CallBudget(300, Start);
        var grants = Drive(budget, Start, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(10));

        Assert.True(MaxInAnyWindow(grants, TimeSpan.FromSeconds(30)) <= 300);
        // Paced at 300 per 31 s: a steady 30 s window holds about 290, 96.8% of the budget.
        var steady = grants.Count(g => g >= Start + TimeSpan.FromMinutes(2) && g < Start + TimeSpan.FromMinutes(2.5));
        Assert.InRange(steady, 285, 300);
    }

    [Fact]
    public void Permits_are_paced_evenly_not_burst_at_the_start_of_a_window()
    {
        var budget = new CallBudget(310, Start);
        var grants = Drive(budget, Start, TimeSpan.FromSeconds(31), TimeSpan.FromMilliseconds(10));

        // Ten per second, never more than one second's worth in any second.
        Assert.True(MaxInAnyWindow(grants, TimeSpan.FromSeconds(1)) <= 11);
        Assert.InRange(grants.Count(g => g < Start + TimeSpan.FromSeconds(5)), 45, 51);
    }

    [Fact]
    public void A_refused_take_says_when_the_next_permit_is_due()
    {
        var budget = new CallBudget(31, Start);
        var (granted, retryAt) = budget.Take(1, Start);

        Assert.Equal(0, granted);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), retryAt);
        Assert.Equal(1, budget.Take(1, retryAt).Granted);
    }

    [Fact]
    public void A_429_cuts_the_effective_budget_once_per_burst_of_429s_and_it_creeps_back_without_them()
    {
        var budget = new CallBudget(1000, Start);
        budget.RateLimited(Start);
        budget.RateLimited(Start + TimeSpan.FromSeconds(1));
        Assert.Equal(800, budget.Effective, 3);

        // 1% of the configured budget per 3 s without a 429.
        budget.Take(1, Start + TimeSpan.FromSeconds(30));
        Assert.Equal(900, budget.Effective, 3);
        budget.Take(1, Start + TimeSpan.FromMinutes(10));
        Assert.Equal(1000, budget.Effective, 3);
    }

    [Fact]
    public void A_budget_told_twice_what_spotify_allows_settles_near_the_real_limit_with_few_429s()
    {
        // A simulated Spotify allowing 150 per 30 s; the budget is told 300. Demand never stops.
        const int real = 150;
        var budget = new CallBudget(300, Start);
        var spotify = new RollingCallWindow(TimeSpan.FromSeconds(30));
        var pausedUntil = Start;
        var rejectedAfterFirstMinute = 0;
        var acceptedInLastMinutes = 0;
        for (var now = Start; now < Start + TimeSpan.FromMinutes(6); now += TimeSpan.FromMilliseconds(10))
        {
            if (now < pausedUntil || budget.Take(1, now).Granted == 0)
            {
                continue;
            }
            if (spotify.Count(now) >= real)
            {
                budget.RateLimited(now);
                pausedUntil = spotify.WhenBelow(real, now);
                rejectedAfterFirstMinute += now > Start + TimeSpan.FromMinutes(1) ? 1 : 0;
                continue;
            }
            spotify.Record(now, 1);
            acceptedInLastMinutes += now >= Start + TimeSpan.FromMinutes(4) ? 1 : 0;
        }

        Assert.InRange(rejectedAfterFirstMinute, 0, 10);
        // At least 80% of what Spotify allowed over the last two minutes (4 windows of 150).
        Assert.True(acceptedInLastMinutes >= 0.8 * 4 * real, $"{acceptedInLastMinutes} accepted of {4 * real} allowed");
    }

    [Fact]
    public void A_429_holds_every_permit_until_its_retry_after_and_a_quota_429_leaves_the_budget_as_it_is()
    {
        var budget = new CallBudget(310, Start);
        budget.Take(1, Start + TimeSpan.FromSeconds(1));

        budget.Throttled(Start + TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), quotaExceeded: true);
        Assert.Equal((0, Start + TimeSpan.FromSeconds(7)), budget.Take(1, Start + TimeSpan.FromSeconds(3)));
        Assert.Equal(310, budget.Effective, 3);
        Assert.Equal(1, budget.Take(1, Start + TimeSpan.FromSeconds(7)).Granted);

        budget.Throttled(Start + TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(1), quotaExceeded: false);
        Assert.Equal(248, budget.Effective, 3);
    }

    [Fact]
    public void The_window_tells_when_one_more_call_fits()
    {
        var window = new RollingCallWindow(TimeSpan.FromSeconds(30));
        window.Record(Start, 2);
        window.Record(Start + TimeSpan.FromSeconds(10), 3);

        Assert.Equal(5, window.Count(Start + TimeSpan.FromSeconds(10)));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), window.WhenBelow(6, Start + TimeSpan.FromSeconds(10)));
        Assert.Equal(Start + TimeSpan.FromSeconds(30), window.WhenBelow(5, Start + TimeSpan.FromSeconds(10)));
        Assert.Equal(Start + TimeSpan.FromSeconds(40), window.WhenBelow(3, Start + TimeSpan.FromSeconds(10)));
        Assert.Equal(3, window.Count(Start + TimeSpan.FromSeconds(30)));
    }
}
