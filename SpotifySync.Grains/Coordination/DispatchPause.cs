using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// When the whole cluster must stop calling Spotify, and why. Spotify limits per app, so one user's 429 pauses
/// everyone. A rate limit waits its Retry-After (or a default that doubles while 429s come without one); an
/// exhausted quota is told apart, because no pacing would help: it waits as long as Spotify says and is reported
/// once per episode, not once per user who meets it.
/// </summary>
public sealed class DispatchPause
{
    private int _throttlesInARow;

    public DateTimeOffset? Until { get; private set; }
    public DispatchPauseKind? Kind { get; private set; }
    public string? Reason { get; private set; }

    public bool IsPaused(DateTimeOffset now) => Until > now;

    /// <summary>What must outlive this activation; null when not paused.</summary>
    public StoredPause? ToStored() =>
        Until is { } until && Kind is { } kind ? new StoredPause(until, kind, Reason ?? "", _throttlesInARow) : null;

    /// <summary>A pause left by an earlier activation (still running, or just its 429 count).</summary>
    public void Restore(StoredPause stored, DateTimeOffset now)
    {
        _throttlesInARow = stored.ThrottlesInARow;
        if (stored.Until > now)
        {
            Extend(stored.Until, stored.Kind, stored.Reason);
        }
    }

    /// <summary>A 429 reported by a user's sync. Returns the pause it caused, and whether it starts a new quota episode (log it as an error).</summary>
    public (TimeSpan Wait, DispatchPauseKind Kind, bool NewQuotaEpisode) Throttled(
        string userId, TimeSpan? retryAfter, bool quotaExceeded, DateTimeOffset now, SyncOptions options)
    {
        var wait = retryAfter ?? DefaultRetryAfter(_throttlesInARow, options);
        _throttlesInARow++;
        var kind = quotaExceeded || wait > options.Interval ? DispatchPauseKind.QuotaExceeded : DispatchPauseKind.RateLimited;
        var newEpisode = kind == DispatchPauseKind.QuotaExceeded && !(Kind == DispatchPauseKind.QuotaExceeded && IsPaused(now));
        var source = retryAfter is null ? "no usable Retry-After" : "Retry-After";
        Extend(now + wait, kind, kind == DispatchPauseKind.QuotaExceeded
            ? $"Spotify quota exhausted (429 for user {userId}): paused for {wait.TotalSeconds:0}s ({source}); resumes by itself"
            : $"Spotify answered 429 for user {userId}: paused for {wait.TotalSeconds:0}s ({source})");
        return (wait, kind, newEpisode);
    }

    public TimeSpan CredentialsRejected(DateTimeOffset now, SyncOptions options)
    {
        Extend(now + options.CredentialsRejectedPause, DispatchPauseKind.CredentialsRejected,
            "Spotify rejected the app credentials (invalid_client): check Spotify:ClientId and Spotify:ClientSecret");
        return options.CredentialsRejectedPause;
    }

    /// <summary>An <c>invalid_grant</c> storm (<see cref="InvalidGrantStorm"/>): no dispatch, so no refresh, until it is over.</summary>
    public void InvalidGrantStorm(DateTimeOffset until, string reason) => Extend(until, DispatchPauseKind.InvalidGrantStorm, reason);

    /// <summary>A sync went through: 429s are no longer "in a row".</summary>
    public void Succeeded() => _throttlesInARow = 0;

    /// <summary>True once, when a pause has just run out.</summary>
    public bool Ended(DateTimeOffset now)
    {
        if (Until is not { } until || until > now)
        {
            return false;
        }
        Until = null;
        Kind = null;
        Reason = null;
        return true;
    }

    /// <summary>No usable Retry-After: start from the default and double for every 429 in a row, up to the maximum.</summary>
    public static TimeSpan DefaultRetryAfter(int throttlesInARow, SyncOptions options)
    {
        var doubled = options.DefaultRetryAfter.Ticks * (1L << Math.Min(throttlesInARow, 20));
        return TimeSpan.FromTicks(Math.Min(doubled, options.MaxDefaultRetryAfter.Ticks));
    }

    // A shorter pause never cuts a longer one short.
    private void Extend(DateTimeOffset until, DispatchPauseKind kind, string reason)
    {
        if (Until is not { } current || until > current)
        {
            Until = until;
            Kind = kind;
            Reason = reason;
        }
    }
}
