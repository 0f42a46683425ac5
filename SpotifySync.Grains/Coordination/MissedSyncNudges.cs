namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Which overdue users the coordinator nudges: not one it holds already (queued, dispatched or running: its sync is on
/// its way), and not one it nudged less than an interval ago (a user in failure backoff stays overdue, and its grain
/// says no each time; once an interval is what its reminder would cost).
/// </summary>
public sealed class MissedSyncNudges
{
    private readonly Dictionary<string, DateTimeOffset> _nudgedAt = new(StringComparer.Ordinal);

    public int Remembered => _nudgedAt.Count;

    public IReadOnlyList<string> Select(IEnumerable<string> overdue, Func<string, bool> held, TimeSpan interval, DateTimeOffset now)
    {
        foreach (var (userId, at) in _nudgedAt)
        {
            if (now - at >= interval)
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
