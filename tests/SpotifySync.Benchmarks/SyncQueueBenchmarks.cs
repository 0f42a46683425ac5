using BenchmarkDotNet.Attributes;
using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Benchmarks;

/// <summary>
/// The coordinator's queue (<see cref="SyncQueue"/>) at 100,000 users, far beyond the 1,800 users an hour
/// the default spacing allows, so a sync-all of a large user base is covered.
/// </summary>
[MemoryDiagnoser]
public class SyncQueueBenchmarks
{
    private const int Users = 100_000;
    private const int Middle = Users / 2;

    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Built once so the figures show the queue's own allocations, not the user id strings.
    private string[] _userIds = [];
    private SyncQueue _fullQueue = new();
    private int _nextPromoted;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _userIds = Enumerable.Range(0, Users).Select(i => $"user-{i:D6}").ToArray();
        _fullQueue = new SyncQueue();
        foreach (var userId in _userIds)
        {
            _fullQueue.Add(userId, SyncTrigger.Scheduled, Now);
        }
        _nextPromoted = Middle;
    }

    /// <summary>An hour's reminder ticks for 100,000 users, then the dispatcher draining them all.</summary>
    [Benchmark]
    public int EnqueueThenDequeueAll100k()
    {
        var queue = new SyncQueue();
        foreach (var userId in _userIds)
        {
            queue.Enqueue(userId, SyncTrigger.Scheduled, Now);
        }
        var dequeued = 0;
        while (queue.Dequeue() is not null)
        {
            dequeued++;
        }
        return dequeued;
    }

    /// <summary>
    /// "Sync Data" for a user waiting in the middle of a 100,000 queue: promotion to the manual lane, then
    /// the position the API reports. The user is then put back as scheduled (a dequeue and an append, both
    /// constant time) so that every invocation promotes a scheduled user.
    /// </summary>
    [Benchmark]
    public int PromoteToManualThenPositionOf()
    {
        var userId = _userIds[_nextPromoted];
        _nextPromoted = (_nextPromoted + 1) % Users;
        var (enqueuedAt, _, _) = _fullQueue.Enqueue(userId, SyncTrigger.Manual, Now);
        var position = _fullQueue.PositionOf(userId)!.Value;
        _fullQueue.Dequeue();
        _fullQueue.Add(userId, SyncTrigger.Scheduled, Now);
        return enqueuedAt + position;
    }

    /// <summary>
    /// The position of a scheduled user in the middle (50,001st): PositionOf walks the linked list back to
    /// the front, so this is what a sync-status call, or a repeated Enqueue of an already queued user, costs.
    /// </summary>
    [Benchmark]
    public int? PositionOfMiddleScheduledUser() => _fullQueue.PositionOf(_userIds[Middle]);
}
