using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The reports that pause all dispatch (a 429, the app's credentials refused, an <c>invalid_grant</c> storm): each is
/// applied to the <see cref="DispatchPause"/>, logged as its kind asks, and stored so that a failover keeps the pause.
/// Only the coordinator's turns call it.
/// </summary>
public sealed partial class DispatchPauseReports(
    DispatchPause pause, DispatchPauseWriteBehind writes, IOptionsMonitor<SyncOptions> options, ILogger logger)
{
    /// <summary>
    /// A 429. Logged as an error once per quota episode, as a warning per rate limit; not stored here (the caller
    /// stores it with <see cref="Save"/>, after putting the user back in front where there is one).
    /// </summary>
    public void Throttled(string userId, TimeSpan? retryAfter, bool quotaExceeded, DateTimeOffset now)
    {
        var (wait, kind, newQuotaEpisode) = pause.Throttled(userId, retryAfter, quotaExceeded, now, options.CurrentValue);
        if (newQuotaEpisode)
        {
            LogQuotaExceeded(userId, wait.TotalSeconds, now + wait);
        }
        else if (kind == DispatchPauseKind.RateLimited)
        {
            LogPaused(userId, wait.TotalSeconds, now + wait);
        }
    }

    /// <summary>Spotify answered <c>invalid_client</c>: not stored here either (see <see cref="Throttled"/>).</summary>
    public void CredentialsRejected(DateTimeOffset now, SyncOptions o) =>
        LogCredentialsRejected(pause.CredentialsRejected(now, o).TotalSeconds);

    /// <summary>A storm was detected (<see cref="InvalidGrantStormWatch"/> logged it): paused and stored.</summary>
    public void InvalidGrantStorm(DateTimeOffset until, string reason)
    {
        pause.InvalidGrantStorm(until, reason);
        writes.Save(pause.ToStored()!);
    }

    /// <summary>Stores the pause, if there is one, so that a failover keeps it.</summary>
    public void Save()
    {
        if (pause.ToStored() is { } stored)
        {
            writes.Save(stored);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify throttled user {UserId}: all dispatch paused for {Seconds}s, until {Until}")]
    private partial void LogPaused(string userId, double seconds, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spotify quota exhausted (429 for user {UserId}: QUOTA_EXCEEDED or a Retry-After beyond Sync:Interval): all dispatch paused for {Seconds}s, until {Until}; it resumes by itself")]
    private partial void LogQuotaExceeded(string userId, double seconds, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spotify rejected the app credentials (invalid_client): all dispatch paused for {Seconds}s; check Spotify:ClientId and Spotify:ClientSecret")]
    private partial void LogCredentialsRejected(double seconds);
}
