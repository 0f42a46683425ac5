using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.UnitTests;

public sealed class DispatchRoundTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(500);

    private static DispatchBounds Bounds(TimeSpan spacing, int maxConcurrent = 64) =>
        new(spacing, maxConcurrent, Patience, ClaimTimeout, MaxPerTick: 512);

    [Fact]
    public void A_user_that_did_not_claim_in_time_goes_back_in_front_its_slot_goes_to_the_next_user_and_it_rests_one_claim_timeout()
    {
        var queue = new SyncQueue();
        var gate = new DispatchGate();
        queue.Enqueue("busy", SyncTrigger.Manual, Now);
        queue.Enqueue("next", SyncTrigger.Scheduled, Now);
        var first = DispatchRound.Plan(queue, gate, Now, Bounds(TimeSpan.FromSeconds(2)));
        Assert.Equal(["busy"], first.Dispatches.Select(d => d.UserId));

        var later = Now + ClaimTimeout;
        var plan = DispatchRound.Plan(queue, gate, later, Bounds(TimeSpan.FromSeconds(2)));

        Assert.Equal(["busy"], plan.Unclaimed.Select(d => d.UserId));
        Assert.Equal(["busy"], plan.Requeued.Select(e => e.UserId));
        Assert.Equal(["next"], plan.Dispatches.Select(d => d.UserId));
        Assert.Equal(1, queue.PositionOf("busy"));
        // It keeps its place in front while it rests; the users behind it go first.
        queue.Enqueue("third", SyncTrigger.Scheduled, later);
        gate.Claim("next", plan.Dispatches[0].DispatchId, later, TimeSpan.Zero);
        var resting = DispatchRound.Plan(queue, gate, later + TimeSpan.FromSeconds(3), Bounds(TimeSpan.FromSeconds(2)));
        Assert.Equal(["third"], resting.Dispatches.Select(d => d.UserId));
        Assert.Equal(1, queue.PositionOf("busy"));
        gate.Claim("third", resting.Dispatches[0].DispatchId, later + TimeSpan.FromSeconds(3), TimeSpan.Zero);
        var rested = DispatchRound.Plan(queue, gate, later + ClaimTimeout, Bounds(TimeSpan.FromSeconds(2)));
        Assert.Equal(["busy"], rested.Dispatches.Select(d => d.UserId));
    }

    [Fact]
    public void A_resting_user_with_nobody_else_to_dispatch_goes_at_once()
    {
        var queue = new SyncQueue();
        var gate = new DispatchGate();
        queue.Enqueue("busy", SyncTrigger.Scheduled, Now);
        DispatchRound.Plan(queue, gate, Now, Bounds(TimeSpan.FromSeconds(2)));
        var later = Now + ClaimTimeout;

        var plan = DispatchRound.Plan(queue, gate, later, Bounds(TimeSpan.FromSeconds(2)));

        // Its claim timed out, it rests, and the queue holds no one else: the slot is not left empty for a claim timeout.
        Assert.Equal(["busy"], plan.Requeued.Select(e => e.UserId));
        Assert.Equal(["busy"], plan.Dispatches.Select(d => d.UserId));
    }

    [Fact]
    public void At_spacing_zero_a_round_sends_up_to_the_room_the_bounds_leave_in_queue_order()
    {
        var queue = new SyncQueue();
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue($"u{i}", SyncTrigger.Scheduled, Now);
        }
        queue.Enqueue("manual", SyncTrigger.Manual, Now);

        var plan = DispatchRound.Plan(queue, new DispatchGate(), Now, Bounds(TimeSpan.Zero, maxConcurrent: 4));

        Assert.Equal(["manual", "u0", "u1", "u2"], plan.Dispatches.Select(d => d.UserId));
        Assert.Equal(7, queue.Count);
        Assert.Null(plan.WakeAt);
    }

    [Fact]
    public void With_spacing_and_no_room_the_round_asks_to_come_back_when_the_next_start_is_allowed()
    {
        var queue = new SyncQueue();
        var gate = new DispatchGate();
        queue.Enqueue("a", SyncTrigger.Scheduled, Now);
        queue.Enqueue("b", SyncTrigger.Scheduled, Now);
        var spacing = TimeSpan.FromSeconds(2);
        var a = DispatchRound.Plan(queue, gate, Now, Bounds(spacing)).Dispatches.Single();
        gate.Claim("a", a.DispatchId, Now, spacing);

        var plan = DispatchRound.Plan(queue, gate, Now + TimeSpan.FromSeconds(1), Bounds(spacing));

        Assert.Empty(plan.Dispatches);
        Assert.Equal(gate.NextStartAllowed, plan.WakeAt);
        Assert.True(plan.WakeAt > Now + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void The_estimated_start_counts_one_spacing_per_user_ahead_from_the_next_allowed_start_or_the_pause_end()
    {
        var gate = new DispatchGate();
        var spacing = TimeSpan.FromSeconds(2);

        Assert.Equal(Now, gate.EstimatedStart(1, Now, spacing, pausedUntil: null));
        Assert.Equal(Now + TimeSpan.FromSeconds(8), gate.EstimatedStart(5, Now, spacing, pausedUntil: null));
        Assert.Equal(Now + TimeSpan.FromSeconds(62), gate.EstimatedStart(2, Now, spacing, pausedUntil: Now + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void The_estimated_start_steps_at_the_measured_pace_when_it_is_slower_than_the_spacing()
    {
        var gate = new DispatchGate();
        var pace = TimeSpan.FromMilliseconds(40);

        // Spacing zero (the budget sets the pace): 10,001st in the queue is 10,000 measured steps away, not "now".
        Assert.Equal(Now + TimeSpan.FromSeconds(400), gate.EstimatedStart(10_001, Now, TimeSpan.Zero, pausedUntil: null, measuredPace: pace));
        Assert.Equal(Now, gate.EstimatedStart(1, Now, TimeSpan.Zero, pausedUntil: null, measuredPace: pace));
        // A spacing slower than the measured pace still holds.
        Assert.Equal(Now + TimeSpan.FromSeconds(8), gate.EstimatedStart(5, Now, TimeSpan.FromSeconds(2), pausedUntil: null, measuredPace: pace));
        // Nothing measured: the spacing alone.
        Assert.Equal(Now, gate.EstimatedStart(10_001, Now, TimeSpan.Zero, pausedUntil: null, measuredPace: null));
    }

    [Fact]
    public void With_a_spacing_users_behind_an_unreachable_one_go_out_after_the_patience_not_after_the_claim_timeout()
    {
        var queue = new SyncQueue();
        var gate = new DispatchGate();
        var spacing = TimeSpan.FromMilliseconds(100);
        foreach (var user in new[] { "cut-off", "a", "b" })
        {
            queue.Enqueue(user, SyncTrigger.Scheduled, Now);
        }
        Assert.Equal(["cut-off"], DispatchRound.Plan(queue, gate, Now, Bounds(spacing)).Dispatches.Select(d => d.UserId));

        var waiting = DispatchRound.Plan(queue, gate, Now + TimeSpan.FromMilliseconds(400), Bounds(spacing));
        Assert.Empty(waiting.Dispatches);
        Assert.Equal(Now + Patience, waiting.WakeAt);
        var a = DispatchRound.Plan(queue, gate, Now + Patience, Bounds(spacing)).Dispatches.Single();
        Assert.Equal("a", a.UserId);
        gate.Claim("a", a.DispatchId, Now + Patience, spacing);
        var b = DispatchRound.Plan(queue, gate, gate.NextStartAllowed, Bounds(spacing)).Dispatches.Single();
        Assert.Equal("b", b.UserId);
    }
}
