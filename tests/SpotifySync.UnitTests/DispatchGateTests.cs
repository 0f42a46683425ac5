using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Storage;

namespace SpotifySync.UnitTests;

public sealed class DispatchGateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(500);

    private static SyncQueueEntry Entry(string userId) =>
        new(userId, SyncPriority.Scheduled, SyncTrigger.Scheduled, 1, Now, Guid.NewGuid());

    [Fact]
    public void With_a_spacing_one_dispatch_waits_for_its_claim_and_the_next_follows_the_claim_by_the_spacing()
    {
        var gate = new DispatchGate();
        Assert.Equal(1, gate.Room(Now, Spacing, maxConcurrent: 64, Patience));
        var first = gate.Dispatch(Entry("a"), Now);
        Assert.Equal(0, gate.Room(Now + TimeSpan.FromMilliseconds(499), Spacing, 64, Patience));

        var claimedAt = Now + TimeSpan.FromSeconds(1);
        Assert.Equal(ClaimResult.Granted, gate.Claim("a", first.DispatchId, claimedAt, Spacing).Result);
        Assert.Equal(0, gate.Room(claimedAt + Spacing, Spacing, 64, Patience));
        // The spacing plus a tenth of it (at most 50 ms) for the message hop.
        Assert.Equal(1, gate.Room(claimedAt + Spacing + TimeSpan.FromMilliseconds(50), Spacing, 64, Patience));
    }

    [Fact]
    public void Without_a_spacing_as_many_go_out_as_the_concurrency_bound_leaves_room_for()
    {
        var gate = new DispatchGate();
        var a = gate.Dispatch(Entry("a"), Now);
        gate.Dispatch(Entry("b"), Now);
        gate.Claim("a", a.DispatchId, Now, TimeSpan.Zero);

        Assert.Equal(2, gate.Room(Now, TimeSpan.Zero, maxConcurrent: 4, Patience));
        Assert.Equal(0, gate.Room(Now, TimeSpan.Zero, maxConcurrent: 2, Patience));
        Assert.True(gate.Holds("a"));
        Assert.True(gate.Holds("b"));
        Assert.NotNull(gate.Finish("a"));
        Assert.False(gate.Holds("a"));
        Assert.Equal(3, gate.Room(Now, TimeSpan.Zero, maxConcurrent: 4, Patience));
    }

    [Fact]
    public void An_unclaimed_dispatch_gives_its_slot_away_and_a_late_claim_for_it_is_stale_once_the_user_is_dispatched_again()
    {
        var gate = new DispatchGate();
        var first = gate.Dispatch(Entry("a"), Now);

        Assert.Empty(gate.TakeUnclaimed(Now + TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10)));
        var unclaimed = Assert.Single(gate.TakeUnclaimed(Now + TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)));
        Assert.Equal("a", unclaimed.UserId);
        Assert.False(gate.Holds("a"));

        var second = gate.Dispatch(Entry("a"), Now + TimeSpan.FromSeconds(11));
        Assert.Equal(ClaimResult.Stale, gate.Claim("a", first.DispatchId, Now + TimeSpan.FromSeconds(12), Spacing).Result);
        Assert.Equal(ClaimResult.Granted, gate.Claim("a", second.DispatchId, Now + TimeSpan.FromSeconds(12), Spacing).Result);
    }

    [Fact]
    public void A_claim_for_a_dispatch_this_gate_never_made_is_unknown_so_the_user_can_be_queued_again()
    {
        var gate = new DispatchGate();
        Assert.Equal(ClaimResult.Unknown, gate.Claim("moved", 7, Now, Spacing).Result);
        Assert.False(gate.Holds("moved"));
    }

    [Fact]
    public void A_running_sync_that_never_reports_is_forgotten_after_the_in_flight_timeout()
    {
        var gate = new DispatchGate();
        var a = gate.Dispatch(Entry("a"), Now);
        gate.Claim("a", a.DispatchId, Now, TimeSpan.Zero);

        Assert.Empty(gate.TakeLost(Now + TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)));
        Assert.Equal(Now, Assert.Single(gate.TakeLost(Now + TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(5))).StartedAt);
        Assert.True(gate.IsIdle);
    }

    [Fact]
    public void The_syncs_running_on_a_dead_silo_are_given_up_and_the_others_keep_running()
    {
        var gate = new DispatchGate();
        var a = gate.Dispatch(Entry("a"), Now);
        var b = gate.Dispatch(Entry("b"), Now);
        var c = gate.Dispatch(Entry("c"), Now);
        gate.Claim("a", a.DispatchId, Now, TimeSpan.Zero, runningOn: "silo-1");
        gate.Claim("b", b.DispatchId, Now, TimeSpan.Zero, runningOn: "silo-2");

        var given = Assert.Single(gate.TakeRunningOn(["silo-1", "silo-3"]));

        Assert.Equal(("a", "silo-1"), (given.UserId, given.RunningOn));
        Assert.False(gate.Holds("a"));
        Assert.True(gate.Holds("b"));
        // Not yet claimed: nobody knows where it will run; the claim timeout covers it.
        Assert.True(gate.Holds("c"));
        Assert.Empty(gate.TakeRunningOn(["silo-1"]));
    }

    [Fact]
    public void With_a_spacing_an_unclaimed_dispatch_holds_back_the_next_start_only_for_the_patience()
    {
        var gate = new DispatchGate();
        var unreachable = gate.Dispatch(Entry("unreachable"), Now);

        Assert.Equal(0, gate.Room(Now + Patience - TimeSpan.FromMilliseconds(1), Spacing, 64, Patience));
        Assert.Equal(1, gate.Room(Now + Patience, Spacing, 64, Patience));
        var next = gate.Dispatch(Entry("next"), Now + Patience);
        // The next one waits for its own claim; the unclaimed one still counts against the concurrency bound.
        Assert.Equal(0, gate.Room(Now + Patience + TimeSpan.FromMilliseconds(10), Spacing, 64, Patience));
        Assert.Equal(0, gate.Room(Now + TimeSpan.FromSeconds(5), Spacing, maxConcurrent: 2, Patience));
        Assert.Equal(ClaimResult.Granted, gate.Claim("next", next.DispatchId, Now + Patience, Spacing).Result);
        Assert.True(gate.Holds("unreachable"));
        Assert.Equal(unreachable.DispatchId, Assert.Single(gate.TakeUnclaimed(Now + TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10))).DispatchId);
    }

    [Fact]
    public void A_run_of_unclaimed_dispatches_waits_half_as_long_each_time_and_a_granted_claim_restores_the_patience()
    {
        // A silo cut off with a run of queued users on it: nobody claims, and the queue must not stall 500 ms per user.
        var gate = new DispatchGate();
        var at = Now;
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            gate.Dispatch(Entry($"unreachable-{i}"), at);
            var next = gate.SpacedRoomAt(Patience);
            Assert.Equal(0, gate.Room(next - TimeSpan.FromTicks(1), Spacing, 64, Patience));
            Assert.Equal(1, gate.Room(next, Spacing, 64, Patience));
            waits.Add(next - at);
            at = next;
        }
        Assert.Equal(new[] { 500, 250, 125, 62.5, 31.25, 15.625, 15.625, 15.625 }, waits.Select(w => w.TotalMilliseconds));
        Assert.True(at - Now < Patience * 2.1);

        // A user on a live silo claims: the next dispatch gets the whole patience again.
        var live = gate.Dispatch(Entry("live"), at);
        Assert.Equal(ClaimResult.Granted, gate.Claim("live", live.DispatchId, at + TimeSpan.FromMilliseconds(5), Spacing).Result);
        var startAt = gate.NextStartAllowed;
        var after = gate.Dispatch(Entry("after"), startAt);
        Assert.Equal(Patience, after.Patience(Patience));
        Assert.Equal(0, gate.Room(startAt + Patience - TimeSpan.FromTicks(1), Spacing, 64, Patience));
    }

    [Fact]
    public void When_a_silo_is_declared_dead_every_unclaimed_dispatch_is_given_up_and_nobody_rests()
    {
        var gate = new DispatchGate();
        var timeout = TimeSpan.FromSeconds(10);
        gate.Dispatch(Entry("timed-out"), Now);
        Assert.Single(gate.TakeUnclaimed(Now + timeout, timeout));
        Assert.True(gate.IsResting("timed-out", Now + timeout));
        var swallowed = gate.Dispatch(Entry("swallowed"), Now + timeout);
        var young = gate.Dispatch(Entry("young"), Now + timeout + Patience);
        var running = gate.Dispatch(Entry("running"), Now + timeout + Patience);
        Assert.Equal(ClaimResult.Granted, gate.Claim("running", running.DispatchId, Now + timeout + Patience, Spacing).Result);

        var lost = gate.TakePendingOnSiloLoss();

        Assert.Equal([swallowed.DispatchId, young.DispatchId], lost.Select(d => d.DispatchId).Order());
        Assert.False(gate.Holds("swallowed"));
        Assert.True(gate.Holds("running")); // its silo is known: TakeRunningOn decides for it
        Assert.False(gate.IsResting("timed-out", Now + timeout + Patience));
        // The young dispatch was on its way to a live grain after all: its claim is refused, its user dispatched again.
        Assert.Equal(ClaimResult.Unknown, gate.Claim("young", young.DispatchId, Now + timeout + Patience * 2, Spacing).Result);
    }

    [Fact]
    public void A_late_claim_within_the_spacing_of_the_last_start_is_too_soon_and_one_after_it_is_granted()
    {
        var gate = new DispatchGate();
        var slow = gate.Dispatch(Entry("slow"), Now);
        var next = gate.Dispatch(Entry("next"), Now + Patience);
        var nextStarted = Now + Patience + TimeSpan.FromMilliseconds(20);
        Assert.Equal(ClaimResult.Granted, gate.Claim("next", next.DispatchId, nextStarted, Spacing).Result);

        var (result, dispatch) = gate.Claim("slow", slow.DispatchId, nextStarted + TimeSpan.FromSeconds(1), Spacing);

        Assert.Equal(ClaimResult.TooSoon, result);
        Assert.Equal(slow.DispatchId, dispatch!.DispatchId);
        Assert.False(gate.Holds("slow"));
        Assert.Equal(nextStarted + Spacing + TimeSpan.FromMilliseconds(50), gate.NextStartAllowed);

        // Late but a whole spacing after the last start: it keeps the pace, so it starts.
        var again = gate.Dispatch(Entry("slow"), Now + TimeSpan.FromSeconds(1));
        Assert.Equal(ClaimResult.Granted, gate.Claim("slow", again.DispatchId, gate.NextStartAllowed, Spacing).Result);
    }

    [Fact]
    public void A_user_sent_back_for_a_late_claim_holds_the_next_start_until_it_claims_so_a_slow_grain_is_not_starved()
    {
        var gate = new DispatchGate();
        var slow = gate.Dispatch(Entry("slow"), Now);
        var fast = gate.Dispatch(Entry("fast"), Now + Patience);
        Assert.Equal(ClaimResult.Granted, gate.Claim("fast", fast.DispatchId, Now + Patience, Spacing).Result);
        Assert.Equal(ClaimResult.TooSoon, gate.Claim("slow", slow.DispatchId, Now + TimeSpan.FromSeconds(1), Spacing).Result);

        // Its next dispatch keeps the start for it past the patience, however slowly its grain answers again.
        var retryAt = gate.NextStartAllowed;
        var again = gate.Dispatch(Entry("slow"), retryAt);
        Assert.True(again.HoldsUntilClaimed);
        Assert.Equal(0, gate.Room(retryAt + TimeSpan.FromSeconds(5), Spacing, 64, Patience));
        Assert.Equal(retryAt, gate.SpacedRoomAt(Patience));
        // Nor can another late claimer take that start from it: that one is sent back in turn, and holds next time.
        var other = new DispatchGate();
        var late = other.Dispatch(Entry("late"), Now);
        var waiting = other.Dispatch(Entry("waiting"), Now + Patience);
        Assert.Equal(ClaimResult.Granted, other.Claim("waiting", waiting.DispatchId, Now + Patience, Spacing).Result);
        Assert.Equal(ClaimResult.TooSoon, other.Claim("late", late.DispatchId, Now + Patience + TimeSpan.FromMilliseconds(10), Spacing).Result);
        var held = other.Dispatch(Entry("late"), other.NextStartAllowed);
        var later = other.Dispatch(Entry("later"), other.NextStartAllowed + Patience);
        Assert.Equal(ClaimResult.TooSoon, other.Claim("later", later.DispatchId, other.NextStartAllowed + Patience, Spacing).Result);
        Assert.Equal(ClaimResult.Granted, other.Claim("late", held.DispatchId, other.NextStartAllowed + TimeSpan.FromSeconds(3), Spacing).Result);
        Assert.True(other.Dispatch(Entry("later"), other.NextStartAllowed).HoldsUntilClaimed);

        Assert.Equal(ClaimResult.Granted, gate.Claim("slow", again.DispatchId, retryAt + TimeSpan.FromSeconds(5), Spacing).Result);
        // Claimed: the next dispatch waits only for the patience again.
        Assert.False(gate.Dispatch(Entry("fast"), gate.NextStartAllowed).HoldsUntilClaimed);
    }

    [Fact]
    public void A_user_whose_claim_timed_out_rests_for_one_more_claim_timeout()
    {
        var gate = new DispatchGate();
        var timeout = TimeSpan.FromSeconds(10);
        gate.Dispatch(Entry("a"), Now);

        Assert.Single(gate.TakeUnclaimed(Now + timeout, timeout));

        Assert.True(gate.IsResting("a", Now + timeout));
        Assert.True(gate.IsResting("a", Now + timeout * 2 - TimeSpan.FromTicks(1)));
        Assert.False(gate.IsResting("a", Now + timeout * 2));
        Assert.False(gate.IsResting("b", Now + timeout));
        // Dispatched again (its turn came after the rest), it no longer rests.
        gate.Dispatch(Entry("a"), Now + timeout * 2);
        Assert.False(gate.IsResting("a", Now + timeout * 2));
    }
}
