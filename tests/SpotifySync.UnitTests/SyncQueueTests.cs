using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Storage;

namespace SpotifySync.UnitTests;

public sealed class SyncQueueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Manual_requests_are_served_before_scheduled_ones()
    {
        var queue = new SyncQueue();
        queue.Enqueue("scheduled-1", SyncTrigger.Scheduled, Now);
        queue.Enqueue("scheduled-2", SyncTrigger.SyncAll, Now);
        var (position, _, _) = queue.Enqueue("manual-1", SyncTrigger.Manual, Now);

        Assert.Equal(1, position);
        Assert.Equal(["manual-1", "scheduled-1", "scheduled-2"], DrainIds(queue));
    }

    [Fact]
    public void A_user_is_queued_at_most_once()
    {
        var queue = new SyncQueue();
        queue.Enqueue("a", SyncTrigger.Scheduled, Now);
        queue.Enqueue("b", SyncTrigger.Scheduled, Now);
        var (position, alreadyQueued, changed) = queue.Enqueue("a", SyncTrigger.Scheduled, Now);

        Assert.True(alreadyQueued);
        Assert.Null(changed);
        Assert.Equal(1, position);
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void A_manual_request_promotes_a_scheduled_entry_into_the_manual_lane()
    {
        var queue = new SyncQueue();
        queue.Enqueue("a", SyncTrigger.Scheduled, Now);
        queue.Enqueue("b", SyncTrigger.Scheduled, Now);
        var (position, alreadyQueued, changed) = queue.Enqueue("b", SyncTrigger.Manual, Now);

        Assert.True(alreadyQueued);
        Assert.Equal(SyncPriority.Manual, changed!.Priority);
        Assert.Equal(1, position);
        Assert.Equal(["b", "a"], DrainIds(queue));
    }

    [Fact]
    public void A_throttled_user_goes_back_to_the_very_front()
    {
        var queue = new SyncQueue();
        queue.Enqueue("m", SyncTrigger.Manual, Now);
        queue.Enqueue("s", SyncTrigger.Scheduled, Now);
        queue.PutInFront("throttled", SyncTrigger.Scheduled, Guid.NewGuid(), Now);

        Assert.Equal(1, queue.PositionOf("throttled"));
        Assert.Equal(["throttled", "m", "s"], DrainIds(queue));
    }

    [Fact]
    public void Positions_count_the_manual_lane_before_the_scheduled_lane()
    {
        var queue = new SyncQueue();
        queue.Enqueue("s1", SyncTrigger.Scheduled, Now);
        queue.Enqueue("s2", SyncTrigger.Scheduled, Now);
        queue.Enqueue("m1", SyncTrigger.Manual, Now);

        Assert.Equal(1, queue.PositionOf("m1"));
        Assert.Equal(2, queue.PositionOf("s1"));
        Assert.Equal(3, queue.PositionOf("s2"));
        Assert.Null(queue.PositionOf("unknown"));
    }

    [Fact]
    public void A_reloaded_queue_keeps_its_order_and_continues_its_sort_keys()
    {
        var queue = new SyncQueue();
        queue.Load(
        [
            new SyncQueueEntry("s2", SyncPriority.Scheduled, SyncTrigger.Scheduled, 7, Now, Guid.NewGuid()),
            new SyncQueueEntry("m1", SyncPriority.Manual, SyncTrigger.Manual, 9, Now, Guid.NewGuid()),
            new SyncQueueEntry("s1", SyncPriority.Scheduled, SyncTrigger.Scheduled, 3, Now, Guid.NewGuid()),
        ]);
        var (_, _, added) = queue.Enqueue("s3", SyncTrigger.Scheduled, Now);

        Assert.True(added!.SortKey > 9);
        Assert.Equal(["m1", "s1", "s2", "s3"], DrainIds(queue));
    }

    [Fact]
    public void Adding_in_bulk_reports_only_the_entries_to_persist()
    {
        var queue = new SyncQueue();
        queue.Enqueue("a", SyncTrigger.Manual, Now);

        var (aQueued, aChanged) = queue.Add("a", SyncTrigger.SyncAll, Now);
        var (bQueued, bChanged) = queue.Add("b", SyncTrigger.SyncAll, Now);

        Assert.True(aQueued);
        Assert.Null(aChanged);
        Assert.False(bQueued);
        Assert.Equal(SyncPriority.Scheduled, bChanged!.Priority);
        Assert.Equal(["a", "b"], DrainIds(queue));
    }

    [Fact]
    public void Adding_all_returns_the_changed_entries_in_order_and_skips_users_already_queued()
    {
        var queue = new SyncQueue();
        queue.Enqueue("b", SyncTrigger.Scheduled, Now);

        var changed = queue.AddAll(["a", "b", "c", "a"], SyncTrigger.SyncAll, Now);

        Assert.Equal(["a", "c"], changed.Select(e => e.UserId));
        Assert.All(changed, e => Assert.Equal(SyncPriority.Scheduled, e.Priority));
        Assert.Equal(["b", "a", "c"], DrainIds(queue));
    }

    [Fact]
    public void Requests_merged_into_one_entry_share_its_sync_id_and_a_promotion_keeps_it()
    {
        var queue = new SyncQueue();
        queue.Enqueue("a", SyncTrigger.Scheduled, Now);
        var first = queue.Find("a")!.SyncId;

        queue.Enqueue("a", SyncTrigger.Manual, Now);

        Assert.Equal(first, queue.Find("a")!.SyncId);
        Assert.Equal(first, queue.Dequeue()!.SyncId);
        queue.Enqueue("a", SyncTrigger.Manual, Now);
        Assert.NotEqual(first, queue.Find("a")!.SyncId);
    }

    [Fact]
    public void A_sync_put_back_in_front_keeps_its_id_unless_a_later_request_queued_the_user_meanwhile()
    {
        var queue = new SyncQueue();
        var throttled = Guid.NewGuid();
        queue.PutInFront("a", SyncTrigger.Manual, throttled, Now);
        Assert.Equal(throttled, queue.Dequeue()!.SyncId);

        // "a" runs again; a request arrives meanwhile and gets a new sync, which only a later start may answer.
        queue.Enqueue("a", SyncTrigger.Manual, Now);
        var later = queue.Find("a")!.SyncId;
        var entry = queue.PutInFront("a", SyncTrigger.Manual, throttled, Now);

        Assert.Equal(later, entry.SyncId);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Positions_are_the_queue_order_after_any_mix_of_enqueues_promotions_skips_put_in_fronts_and_a_reload()
    {
        var random = new Random(20261201);
        var queue = new SyncQueue();
        for (var step = 0; step < 20_000; step++)
        {
            var userId = $"u{random.Next(3_000)}";
            switch (random.Next(10))
            {
                case < 5:
                    var (position, _, _) = queue.Enqueue(userId, random.Next(4) == 0 ? SyncTrigger.Manual : SyncTrigger.Scheduled, Now);
                    Assert.Equal(WalkedPosition(queue, userId), position);
                    break;
                case < 8:
                    // A dequeue that skips users (still running) takes entries from the middle of a lane.
                    queue.DequeueFirst(id => id.GetHashCode() % 3 != 0 || random.Next(2) == 0);
                    break;
                case 8:
                    queue.PutInFront(userId, SyncTrigger.Manual, Guid.NewGuid(), Now);
                    break;
                default:
                    Assert.Equal(WalkedPosition(queue, userId), queue.PositionOf(userId));
                    break;
            }
        }
        var reloaded = new SyncQueue();
        reloaded.Load(queue.InOrder.Reverse());
        var order = queue.InOrder.Select(e => e.UserId).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            Assert.Equal(i + 1, reloaded.PositionOf(order[i]));
        }
    }

    [Fact]
    public void Lane_key_counts_hold_negative_keys_block_edges_and_removals()
    {
        var keys = new LaneKeyCount();
        long[] present = [-1_025, -1_024, -1, 0, 1, 1_023, 1_024, 5_000];
        foreach (var key in present)
        {
            keys.Add(key);
        }
        keys.Add(1); // twice: still one entry
        keys.Remove(0);
        keys.Remove(77); // absent: nothing changes

        Assert.Equal(0, keys.CountAtOrBelow(-2_000));
        Assert.Equal(1, keys.CountAtOrBelow(-1_025));
        Assert.Equal(2, keys.CountAtOrBelow(-2));
        Assert.Equal(3, keys.CountAtOrBelow(0));
        Assert.Equal(5, keys.CountAtOrBelow(1_023));
        Assert.Equal(6, keys.CountAtOrBelow(1_024));
        Assert.Equal(7, keys.CountAtOrBelow(long.MaxValue >> 11));
    }

    /// <summary>The position as the queue's order says it, counted along that order.</summary>
    private static int? WalkedPosition(SyncQueue queue, string userId)
    {
        var index = queue.InOrder.Select(e => e.UserId).ToList().IndexOf(userId);
        return index < 0 ? null : index + 1;
    }

    private static List<string> DrainIds(SyncQueue queue)
    {
        var ids = new List<string>();
        while (queue.Dequeue() is { } entry)
        {
            ids.Add(entry.UserId);
        }
        return ids;
    }
}
