using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// What a tick of one of the user's reminders (<see cref="UserSchedule"/>) does: queue the scheduled sync or the gap
/// follow-up at the coordinator, hold back while the user backs off or its tokens are quarantined, adopt a changed
/// <c>Sync:Interval</c>, and remove a reminder a disconnect left behind.
/// </summary>
/// <param name="connectInFlight">
/// Whether a connect of this (reentrant) grain is between registering the reminder and writing the row "active".
/// </param>
public sealed partial class ReminderTicks(
    string userId,
    UserRow row,
    UserSchedule schedule,
    Func<ISyncCoordinatorGrain> coordinator,
    Func<bool> connectInFlight,
    IOptionsMonitor<SyncOptions> syncOptions,
    TimeProvider time,
    SyncMetrics metrics,
    ILogger logger)
{
    /// <returns>The ticket of the sync the tick queued, if it queued one.</returns>
    public async Task<QueueTicket?> ReceiveAsync(string reminderName, TickStatus status)
    {
        if (reminderName == UserSchedule.GapFollowUpReminderName)
        {
            await schedule.RemoveGapFollowUpAsync();
            return row.Current is { IsActive: true } ? await EnqueueAsync(SyncTrigger.GapFollowUp) : null;
        }
        if (reminderName != UserSchedule.ReminderName)
        {
            return null;
        }
        if (row.Current is { IsQuarantined: true })
        {
            // Its tokens wait for the coordinator's verdict; the schedule stays for when they are restored.
            return null;
        }
        if (row.Current is not { IsActive: true } user)
        {
            // A reminder left behind by a disconnect goes; one whose connect is still being stored stays (the grain is
            // reentrant, so the tick can come between the registration and the row write). Removing that one left a
            // connected user without a schedule: the steady benchmark found such users, never synced again.
            if (!connectInFlight())
            {
                await schedule.RemoveQuietlyAsync();
            }
            return null;
        }
        var options = syncOptions.CurrentValue;
        if (SyncSchedule.BackoffUntil(user, options) is { } until && time.GetUtcNow() < until)
        {
            LogBackingOff(userId, user.ConsecutiveFailures, until);
            return null;
        }
        if (status.Period != options.Interval)
        {
            var anchor = await schedule.AdoptIntervalAsync(time.GetUtcNow());
            await row.TryChangeAsync(u => u with { ScheduleAnchor = anchor, NextSyncDueAt = anchor }, CancellationToken.None);
        }
        return options.Enabled ? await EnqueueAsync(SyncTrigger.Scheduled) : null;
    }

    /// <summary>
    /// The coordinator's check (<c>MissedSyncWatch</c>) found the user overdue: if this grain's own row agrees, do what
    /// the missing tick would have done, and register the reminder again if it is gone (a reminder Orleans merely
    /// skipped a tick of is still there and keeps its phase).
    /// </summary>
    public async Task CatchUpMissedAsync()
    {
        var options = syncOptions.CurrentValue;
        var now = time.GetUtcNow();
        if (!options.Enabled || row.Current is not { IsActive: true } user)
        {
            return;
        }
        var due = MissedSchedule.NextDue(user.NextSyncDueAt, user.LastSyncStartedAt, user.ScheduleAnchor, options.Interval);
        if (!MissedSchedule.IsOverdue(due, options.MissedSyncGrace, now) || SyncSchedule.BackoffUntil(user, options) is { } until && now < until)
        {
            return;
        }
        LogMissedSync(userId, due, user.LastSyncStartedAt);
        metrics.MissedSyncQueued();
        await EnqueueAsync(SyncTrigger.Scheduled);
        try
        {
            var anchor = await schedule.EnsureAsync(user.ScheduleAnchor, now);
            if (anchor != user.ScheduleAnchor)
            {
                LogReminderRestored(userId, anchor);
                await row.TryChangeAsync(u => u with { ScheduleAnchor = anchor, NextSyncDueAt = anchor }, CancellationToken.None);
            }
        }
        catch (StorageUnavailableException)
        {
            // Logged by the schedule; the sync is queued, and the next check finds the user again if it stays without.
        }
    }

    /// <summary>A tick is delivered once: an enqueue that fails is tried again (<see cref="ReminderEnqueueRetry"/>), not dropped.</summary>
    private async Task<QueueTicket> EnqueueAsync(SyncTrigger trigger)
    {
        for (var failures = 0; ; )
        {
            try
            {
                return await coordinator().EnqueueAsync(userId, trigger);
            }
            catch (Exception e)
            {
                if (ReminderEnqueueRetry.DelayAfter(++failures) is not { } delay)
                {
                    LogReminderTickLost(e, userId, trigger, failures);
                    throw;
                }
                LogReminderEnqueueFailed(e, userId, trigger, failures, delay);
                await Task.Delay(delay, time);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: scheduled sync due {DueAt} missed (last sync started {LastStartedAt}); queued by the coordinator's check")]
    private partial void LogMissedSync(string userId, DateTimeOffset? dueAt, DateTimeOffset? lastStartedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: its sync reminder was gone; registered again, first due {Anchor}")]
    private partial void LogReminderRestored(string userId, DateTimeOffset anchor);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Failures} failed syncs in a row, scheduled sync skipped until {Until}")]
    private partial void LogBackingOff(string userId, int failures, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not queue the {Trigger} sync its reminder asked for (attempt {Attempt}); trying again in {Delay}")]
    private partial void LogReminderEnqueueFailed(Exception e, string userId, SyncTrigger trigger, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: gave up queueing the {Trigger} sync its reminder asked for after {Attempts} attempts; the next tick tries again")]
    private partial void LogReminderTickLost(Exception e, string userId, SyncTrigger trigger, int attempts);
}
