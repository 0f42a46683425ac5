using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Tells Spotify's incidents from users' own revocations. Every refresh attempt and every refused refresh
/// (<c>invalid_grant</c>) of the cluster is counted here; when, within <see cref="InvalidGrantStormOptions.Window"/>,
/// enough users are refused (<see cref="InvalidGrantStormOptions.MinUsers"/>) and they are a large enough share of the
/// attempts (<see cref="InvalidGrantStormOptions.MinShare"/>), it is a storm: no refresh is sent for
/// <see cref="InvalidGrantStormOptions.Pause"/>, then the refused users are retried one at a time.
/// <para>
/// The first users of a storm are refused before it can be recognised. So a refused user is never erased at once: it
/// is <em>held</em> (its tokens quarantined) until the window after its refusal closes; only if no storm was detected
/// by then are its tokens erased (<see cref="TakeDueForErase"/>). A storm turns every held user into one to retry.
/// </para>
/// </summary>
public sealed class InvalidGrantStorm
{
    /// <summary>A retried user that does not answer within this time is put back at the end of the retry line.</summary>
    public static readonly TimeSpan RetryAnswerTimeout = TimeSpan.FromMinutes(1);

    private readonly Queue<DateTimeOffset> _attempts = new();
    private readonly Queue<(DateTimeOffset At, string UserId)> _refusals = new();
    private readonly Dictionary<string, DateTimeOffset> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _refusalsPerUser = new(StringComparer.Ordinal);
    // The retry line: a queue in order, a set for membership (a user lifted meanwhile is skipped when its turn comes).
    private readonly Queue<string> _retryLine = new();
    private readonly HashSet<string> _toRetry = new(StringComparer.Ordinal);
    private (string UserId, DateTimeOffset SentAt)? _retrying;
    private bool _announcedEnd = true;

    /// <summary>Until when no refresh may be sent; null when there never was a storm in this activation.</summary>
    public DateTimeOffset? PausedUntil { get; private set; }

    /// <summary>When the last storm was detected, and how many users it had refused by then.</summary>
    public DateTimeOffset? DetectedAt { get; private set; }

    public int UsersRefusedAtDetection { get; private set; }

    /// <summary>Users whose tokens are kept: waiting for the verdict of their window, waiting for a retry, or being retried.</summary>
    public int Quarantined => _held.Count + _toRetry.Count + (_retrying is null ? 0 : 1);

    public bool IsStorm(DateTimeOffset now) => PausedUntil > now;

    /// <summary>A refresh is about to be sent: true (and counted) unless a storm is on.</summary>
    public bool TryBeginRefresh(DateTimeOffset now, InvalidGrantStormOptions options)
    {
        Forget(now, options);
        if (IsStorm(now))
        {
            return false;
        }
        _attempts.Enqueue(now);
        return true;
    }

    /// <summary>
    /// Spotify refused <paramref name="userId"/>'s refresh token. The user is held (or, during a storm, will be retried).
    /// True when this refusal makes it a storm (log it once).
    /// </summary>
    public bool Refused(string userId, DateTimeOffset now, InvalidGrantStormOptions options)
    {
        Forget(now, options);
        EndRetry(userId);
        if (IsStorm(now))
        {
            AddToRetry(userId);
            return false;
        }
        _refusals.Enqueue((now, userId));
        _refusalsPerUser[userId] = _refusalsPerUser.GetValueOrDefault(userId) + 1;
        _held[userId] = now + options.Window;
        var users = _refusalsPerUser.Count;
        // A refusal whose attempt an earlier activation counted still counts as an attempt.
        var attempts = Math.Max(_attempts.Count, _refusals.Count);
        if (users < options.MinUsers || (double)users / attempts < options.MinShare)
        {
            return false;
        }
        PausedUntil = now + options.Pause;
        DetectedAt = now;
        UsersRefusedAtDetection = users;
        _announcedEnd = false;
        foreach (var held in _held.Keys.Order(StringComparer.Ordinal))
        {
            AddToRetry(held);
        }
        _held.Clear();
        // The storm's refusals are not evidence against anyone after it.
        _refusals.Clear();
        _refusalsPerUser.Clear();
        _attempts.Clear();
        return true;
    }

    /// <summary>A quarantined user is active again (its retry worked, or it reconnected): nothing more to decide.</summary>
    public void Lifted(string userId)
    {
        EndRetry(userId);
        _held.Remove(userId);
        _toRetry.Remove(userId);
    }

    /// <summary>Users quarantined by an earlier activation: whatever their window said, a retry tells.</summary>
    public void Restore(IEnumerable<string> quarantinedUserIds, DateTimeOffset? pausedUntil)
    {
        foreach (var userId in quarantinedUserIds)
        {
            AddToRetry(userId);
        }
        if (pausedUntil is { } until)
        {
            PausedUntil = until;
            _announcedEnd = false;
        }
    }

    /// <summary>Held users whose window closed without a storm: their refusal was their own, erase their tokens.</summary>
    public IReadOnlyList<string> TakeDueForErase(DateTimeOffset now)
    {
        if (IsStorm(now))
        {
            return [];
        }
        var due = _held.Where(h => h.Value <= now).Select(h => h.Key).Order(StringComparer.Ordinal).ToList();
        foreach (var userId in due)
        {
            _held.Remove(userId);
        }
        return due;
    }

    /// <summary>The next user to retry after a storm, one at a time: null during a storm or while one is being retried.</summary>
    public string? TakeNextRetry(DateTimeOffset now)
    {
        if (IsStorm(now))
        {
            return null;
        }
        if (_retrying is { } retrying)
        {
            if (now - retrying.SentAt < RetryAnswerTimeout)
            {
                return null;
            }
            _retrying = null;
            AddToRetry(retrying.UserId);
        }
        while (_retryLine.TryDequeue(out var next))
        {
            if (_toRetry.Remove(next))
            {
                _retrying = (next, now);
                return next;
            }
        }
        return null;
    }

    /// <summary>True once, when a storm's pause has run out: how many users are then waiting for their retry.</summary>
    public bool Ended(DateTimeOffset now)
    {
        if (_announcedEnd || PausedUntil is not { } until || until > now)
        {
            return false;
        }
        _announcedEnd = true;
        return true;
    }

    private void AddToRetry(string userId)
    {
        _held.Remove(userId);
        if (_retrying?.UserId != userId && _toRetry.Add(userId))
        {
            _retryLine.Enqueue(userId);
        }
    }

    private void EndRetry(string userId)
    {
        if (_retrying?.UserId == userId)
        {
            _retrying = null;
        }
    }

    private void Forget(DateTimeOffset now, InvalidGrantStormOptions options)
    {
        var since = now - options.Window;
        while (_attempts.TryPeek(out var at) && at <= since)
        {
            _attempts.Dequeue();
        }
        while (_refusals.TryPeek(out var refusal) && refusal.At <= since)
        {
            _refusals.Dequeue();
            if (--_refusalsPerUser[refusal.UserId] == 0)
            {
                _refusalsPerUser.Remove(refusal.UserId);
            }
        }
    }
}
