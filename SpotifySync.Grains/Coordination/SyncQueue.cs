using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The coordinator's in-memory queue: two lanes (manual ahead of scheduled), each user at most once.
/// Every change returns the entry to persist, so the grain can write it through to <c>sync_queue</c>.
/// Within a lane the entries are in the order of their sort keys (appends take the next key, a put-in-front the one
/// before the first), so a user's position is counted from the keys (<see cref="LaneKeyCount"/>), not walked: every
/// connect and "Sync Data" answers with one, and a walk of a 100,000-user queue held the coordinator for milliseconds.
/// </summary>
public sealed class SyncQueue
{
    private readonly LinkedList<SyncQueueEntry> _manual = new();
    private readonly LinkedList<SyncQueueEntry> _scheduled = new();
    private readonly Dictionary<string, LinkedListNode<SyncQueueEntry>> _byUser = new(StringComparer.Ordinal);
    private readonly LaneKeyCount _manualKeys = new();
    private readonly LaneKeyCount _scheduledKeys = new();
    private long _lastSortKey;
    private long _firstSortKey;

    public int Count => _byUser.Count;
    public int ManualCount => _manual.Count;
    public int ScheduledCount => _scheduled.Count;

    public void Load(IEnumerable<SyncQueueEntry> entries)
    {
        foreach (var entry in entries.OrderBy(e => e.Priority).ThenBy(e => e.SortKey))
        {
            if (!_byUser.ContainsKey(entry.UserId))
            {
                Append(entry);
                _lastSortKey = Math.Max(_lastSortKey, entry.SortKey);
                _firstSortKey = Math.Min(_firstSortKey, entry.SortKey);
            }
        }
    }

    /// <summary>
    /// Adds the user at the back of its lane. A user already queued keeps its place, except that a manual
    /// request moves a scheduled entry into the manual lane. <c>Changed</c> is null when nothing moved.
    /// </summary>
    public (int Position, bool AlreadyQueued, SyncQueueEntry? Changed) Enqueue(string userId, SyncTrigger trigger, DateTimeOffset now)
    {
        var (alreadyQueued, changed) = Add(userId, trigger, now);
        // Appended entries sit at the end of their lane; only an untouched entry needs counting.
        var position = changed is null
            ? PositionOf(userId)!.Value
            : changed.Priority == SyncPriority.Manual ? _manual.Count : Count;
        return (position, alreadyQueued, changed);
    }

    /// <summary><see cref="Enqueue"/> without the position, for queueing many users at once in linear time.</summary>
    public (bool AlreadyQueued, SyncQueueEntry? Changed) Add(string userId, SyncTrigger trigger, DateTimeOffset now)
    {
        var priority = trigger.Priority();
        if (_byUser.TryGetValue(userId, out var existing))
        {
            if (priority == SyncPriority.Manual && existing.Value.Priority == SyncPriority.Scheduled)
            {
                Remove(existing);
                return (true, Append(existing.Value with { Priority = SyncPriority.Manual, Trigger = trigger, SortKey = ++_lastSortKey }));
            }
            return (true, null);
        }
        return (false, Append(new SyncQueueEntry(userId, priority, trigger, ++_lastSortKey, now, Guid.CreateVersion7(now))));
    }

    /// <summary><see cref="Add"/> for each user in turn, in linear time; the entries that changed, to persist.</summary>
    public IReadOnlyList<SyncQueueEntry> AddAll(IEnumerable<string> userIds, SyncTrigger trigger, DateTimeOffset now)
    {
        var changed = new List<SyncQueueEntry>();
        foreach (var userId in userIds)
        {
            var (_, entry) = Add(userId, trigger, now);
            if (entry is not null)
            {
                changed.Add(entry);
            }
        }
        return changed;
    }

    /// <summary>Every entry in the order they will be dispatched (when no user is skipped).</summary>
    public IEnumerable<SyncQueueEntry> InOrder => _manual.Concat(_scheduled);

    /// <summary>The queued entry of a user, if any.</summary>
    public SyncQueueEntry? Find(string userId) => _byUser.TryGetValue(userId, out var node) ? node.Value : null;

    /// <summary>
    /// Puts the user at the very front (a throttled user goes first once the pause ends) as sync
    /// <paramref name="syncId"/>. If a request queued the user meanwhile, its entry moves to the front and keeps
    /// its own id: that request arrived after the sync being redone had started, so only a later sync answers it.
    /// </summary>
    public SyncQueueEntry PutInFront(string userId, SyncTrigger trigger, Guid syncId, DateTimeOffset now)
    {
        if (_byUser.TryGetValue(userId, out var existing))
        {
            Remove(existing);
            syncId = existing.Value.SyncId;
        }
        var entry = new SyncQueueEntry(userId, SyncPriority.Manual, trigger, --_firstSortKey, now, syncId);
        _byUser[userId] = _manual.AddFirst(entry);
        _manualKeys.Add(entry.SortKey);
        return entry;
    }

    public SyncQueueEntry? Dequeue() => DequeueFirst(static _ => true);

    /// <summary>Takes the first entry, in queue order, whose user <paramref name="eligible"/> accepts (skipping users still running).</summary>
    public SyncQueueEntry? DequeueFirst(Func<string, bool> eligible)
    {
        var node = FirstEligible(_manual, eligible) ?? FirstEligible(_scheduled, eligible);
        if (node is null)
        {
            return null;
        }
        Remove(node);
        return node.Value;
    }

    private static LinkedListNode<SyncQueueEntry>? FirstEligible(LinkedList<SyncQueueEntry> lane, Func<string, bool> eligible)
    {
        for (var node = lane.First; node is not null; node = node.Next)
        {
            if (eligible(node.Value.UserId))
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>1-based position, or null when the user is not queued.</summary>
    public int? PositionOf(string userId)
    {
        if (!_byUser.TryGetValue(userId, out var node))
        {
            return null;
        }
        var entry = node.Value;
        return entry.Priority == SyncPriority.Manual
            ? _manualKeys.CountAtOrBelow(entry.SortKey)
            : _manual.Count + _scheduledKeys.CountAtOrBelow(entry.SortKey);
    }

    private SyncQueueEntry Append(SyncQueueEntry entry)
    {
        _byUser[entry.UserId] = Lane(entry.Priority).AddLast(entry);
        Keys(entry.Priority).Add(entry.SortKey);
        return entry;
    }

    private void Remove(LinkedListNode<SyncQueueEntry> node)
    {
        node.List!.Remove(node);
        _byUser.Remove(node.Value.UserId);
        Keys(node.Value.Priority).Remove(node.Value.SortKey);
    }

    private LaneKeyCount Keys(SyncPriority priority) => priority == SyncPriority.Manual ? _manualKeys : _scheduledKeys;

    private LinkedList<SyncQueueEntry> Lane(SyncPriority priority) => priority == SyncPriority.Manual ? _manual : _scheduled;
}
