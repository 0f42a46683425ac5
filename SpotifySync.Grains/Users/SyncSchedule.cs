using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>The arithmetic of a user's schedule: first due time, next due time, failure backoff.</summary>
public static class SyncSchedule
{
    /// <summary>
    /// A random point of the interval, so that users connected together spread over it; one that comes sooner than
    /// <see cref="FirstDueLead"/> after the connect moves one interval on (the spread stays even). The connect queues
    /// a sync of its own, so a tick right after it would only read the same plays again; and a tick due at once could
    /// reach the grain before the connect had stored the user (see ReminderTicks).
    /// </summary>
    public static TimeSpan FirstDue(TimeSpan interval, double random0To1)
    {
        var due = TimeSpan.FromTicks((long)(random0To1 * interval.Ticks));
        return due < FirstDueLead(interval) ? due + interval : due;
    }

    /// <summary>One minute, or half the interval when it is shorter than two minutes.</summary>
    public static TimeSpan FirstDueLead(TimeSpan interval) =>
        interval < TimeSpan.FromMinutes(2) ? interval / 2 : TimeSpan.FromMinutes(1);

    /// <summary>The next due time of a reminder first due at <paramref name="anchor"/> and repeating every <paramref name="interval"/>.</summary>
    public static DateTimeOffset? NextDue(DateTimeOffset? anchor, TimeSpan interval, DateTimeOffset now)
    {
        if (anchor is not { } first)
        {
            return null;
        }
        if (first > now)
        {
            return first;
        }
        var periods = (long)Math.Ceiling((now - first).Ticks / (double)interval.Ticks);
        return first + TimeSpan.FromTicks(interval.Ticks * Math.Max(periods, 1));
    }

    /// <summary>After <c>Sync:FailureBackoffAfter</c> failures in a row, scheduled syncs wait twice as long for each further one.</summary>
    public static DateTimeOffset? BackoffUntil(SpotifyUserRecord user, SyncOptions options)
    {
        if (user.ConsecutiveFailures < options.FailureBackoffAfter || user.LastSyncCompletedAt is not { } lastFailure)
        {
            return null;
        }
        var doublings = Math.Min(user.ConsecutiveFailures - options.FailureBackoffAfter + 1, 20);
        var wait = TimeSpan.FromTicks(Math.Min(options.Interval.Ticks * (1L << doublings), options.MaxFailureBackoff.Ticks));
        // Reminder ticks jitter a little: a tick due just at the boundary counts as after it.
        return lastFailure + wait - options.Interval / 10;
    }
}
