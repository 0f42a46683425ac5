namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Which overdue users the coordinator nudges: not one it holds already (queued, dispatched or running: its sync is on
/// its way), and not one it nudged less than half an interval ago (a user in failure backoff stays overdue, and its
/// grain says no each time). Not a whole interval: a user whose reminder keeps skipping its tick (Orleans skips the
/// same reminders' ticks interval after interval) would then be caught exactly as late as the first time, every
/// time; a 100,000-user run had 5 users caught 333 s late in both intervals, behind a first catch-up slowed by the
/// connect storm.
/// </summary>
public sealed class MissedSyncNudges
{
    private readonly Dictionary<string, DateTimeOffset> _nudgedAt = new(StringComparer.Ordinal);

    public int Remembered => _nudgedAt.Count;

    public IReadOnlyList<string> Select(IEnumerable<string> overdue, Func<string, bool> held, TimeSpan interval, DateTimeOffset now)
    {
        foreach (var (userId, at) in _nudgedAt)
        {
            if (now - at >= interval / 2)
            {
                _nudgedAt.Remove(userId);
            }
        }
        var nudge = new List<string>();
        foreach (var userId in overdue)
        {
            if (!held(userId) && _nudgedAt.TryAdd(userId, now))
            {
                nudge.Add(userId);
            }
        }
        return nudge;
    }
}
