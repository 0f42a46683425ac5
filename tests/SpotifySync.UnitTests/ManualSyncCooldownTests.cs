using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class ManualSyncCooldownTests
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid SyncId = Guid.NewGuid();
    private static readonly Guid EarlierSyncId = Guid.NewGuid();

    [Fact]
    public void The_first_press_queues()
    {
        Assert.Equal(ManualSyncVerdict.Queue, new ManualSyncCooldown().Decide(Start, Cooldown, pendingPosition: null, EarlierSyncId));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void Within_the_cooldown_a_press_while_the_sync_is_queued_or_running_answers_with_it(int position)
    {
        var cooldown = Allowed();

        Assert.Equal(ManualSyncVerdict.AnswerPending, cooldown.Decide(Start.AddSeconds(10), Cooldown, position, EarlierSyncId));
        Assert.Equal(SyncId, cooldown.LastTicket!.SyncId);
    }

    [Fact]
    public void Within_the_cooldown_a_press_after_the_sync_finished_answers_with_its_outcome()
    {
        Assert.Equal(ManualSyncVerdict.AnswerLastOutcome, Allowed().Decide(Start.AddSeconds(59), Cooldown, pendingPosition: null, SyncId));
    }

    [Fact]
    public void Once_the_cooldown_has_passed_a_press_queues_again()
    {
        var cooldown = Allowed();

        Assert.Equal(ManualSyncVerdict.Queue, cooldown.Decide(Start + Cooldown, Cooldown, pendingPosition: null, SyncId));
        Assert.Equal(Start + Cooldown, cooldown.CooldownUntil(Cooldown));
    }

    [Fact]
    public void A_sync_the_coordinator_lost_before_it_finished_does_not_hold_the_user_back()
    {
        Assert.Equal(ManualSyncVerdict.Queue, Allowed().Decide(Start.AddSeconds(10), Cooldown, pendingPosition: null, EarlierSyncId));
    }

    [Fact]
    public void A_zero_cooldown_always_queues_and_a_clock_gone_back_does_not_block()
    {
        Assert.Equal(ManualSyncVerdict.Queue, Allowed().Decide(Start, TimeSpan.Zero, pendingPosition: 1, EarlierSyncId));
        Assert.Equal(ManualSyncVerdict.Queue, Allowed().Decide(Start.AddSeconds(-5), Cooldown, pendingPosition: 1, EarlierSyncId));
    }

    private static ManualSyncCooldown Allowed()
    {
        var cooldown = new ManualSyncCooldown();
        cooldown.Allowed(Start, new QueueTicket(1, false, Start.AddSeconds(2), SyncId));
        return cooldown;
    }
}
