namespace SpotifySync.Grains.Budget;

/// <summary>
/// Calls granted in the last <see cref="Length"/>, counted by grant time. Grants arrive in order, so a queue of
/// (time, count) is enough: expired grants leave from the front.
/// </summary>
public sealed class RollingCallWindow(TimeSpan length)
{
    private readonly Queue<(DateTimeOffset At, int Calls)> _grants = new();
    private int _count;

    public TimeSpan Length { get; } = length;

    public int Count(DateTimeOffset now)
    {
        Expire(now);
        return _count;
    }

    public void Record(DateTimeOffset now, int calls)
    {
        if (calls <= 0)
        {
            return;
        }
        _grants.Enqueue((now, calls));
        _count += calls;
    }

    /// <summary>When the count falls to <paramref name="limit"/> − 1 or below, so that one more call fits; <paramref name="now"/> if it already does.</summary>
    public DateTimeOffset WhenBelow(int limit, DateTimeOffset now)
    {
        Expire(now);
        var excess = _count - limit + 1;
        if (excess <= 0)
        {
            return now;
        }
        foreach (var (at, calls) in _grants)
        {
            excess -= calls;
            if (excess <= 0)
            {
                return at + Length;
            }
        }
        return now + Length;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_grants.TryPeek(out var oldest) && oldest.At + Length <= now)
        {
            _grants.Dequeue();
            _count -= oldest.Calls;
        }
    }
}
