namespace SpotifySync.Grains.Coordination;

/// <summary>
/// How fast the coordinator has been getting through syncs while users were waiting behind them, over a rolling window.
/// With <c>Sync:SpacingBetweenUsers</c> at zero the spacing says nothing about when a queued user starts: the call
/// budget, <c>Sync:MaxConcurrentSyncs</c> or the machine sets the pace, and this is that pace as measured.
/// <para>
/// Not counted: syncs that finished with nobody waiting (they show how much work there was, not how fast it can go),
/// and skipped ones (the user was no longer active: no Spotify call, next to no cost). A queue with many users who
/// disconnected meanwhile is therefore estimated as if each were a sync: late rather than early.
/// </para>
/// </summary>
public sealed class SyncPace(TimeSpan window)
{
    /// <summary>Fewer syncs than this in the window say too little to estimate from.</summary>
    public const int MinSyncs = 5;

    private readonly Queue<DateTimeOffset> _finished = new();

    /// <param name="othersWaiting">Whether users were still queued when this sync finished.</param>
    public void Finished(DateTimeOffset now, bool othersWaiting)
    {
        if (othersWaiting)
        {
            _finished.Enqueue(now);
        }
        Expire(now);
    }

    /// <summary>
    /// The time between two syncs as measured (from the oldest one in the window to now, over the syncs in it), or
    /// null with fewer than <see cref="MinSyncs"/> of them.
    /// </summary>
    public TimeSpan? Interval(DateTimeOffset now)
    {
        Expire(now);
        return _finished.Count >= MinSyncs ? (now - _finished.Peek()) / _finished.Count : null;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_finished.TryPeek(out var oldest) && oldest + window <= now)
        {
            _finished.Dequeue();
        }
    }
}
