using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// A user's persistent Orleans reminders: the hourly <c>sync</c> and the one-off early sync after a possible gap.
/// Reminders live in PostgreSQL, so every change here can fail while it is away.
/// </summary>
public sealed partial class UserSchedule(IGrainBase grain, string userId, IOptionsMonitor<SyncOptions> syncOptions, ILogger logger)
{
    public const string ReminderName = "sync";

    /// <summary>One-off reminder for the early extra sync after a possible gap; removed when it fires.</summary>
    public const string GapFollowUpReminderName = "sync-gap-follow-up";

    /// <summary>The period of the sync reminder (<c>Sync:Interval</c>).</summary>
    public TimeSpan Interval => syncOptions.CurrentValue.Interval;

    /// <summary>
    /// Registers the reminder once (first due at a random point of the interval, to spread users); returns its anchor.
    /// Without a reminder the user would never be synced, so failing here fails the connect (503).
    /// </summary>
    public async Task<DateTimeOffset> EnsureAsync(DateTimeOffset? anchor, DateTimeOffset now)
    {
        try
        {
            if (anchor is { } existing && await grain.GetReminder(ReminderName) is not null)
            {
                return existing;
            }
            var interval = syncOptions.CurrentValue.Interval;
            var firstDue = SyncSchedule.FirstDue(interval, Random.Shared.NextDouble());
            await grain.RegisterOrUpdateReminder(ReminderName, firstDue, interval);
            return now + firstDue;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogScheduleFailed(e, userId);
            throw new StorageUnavailableException($"the sync schedule of user {userId} could not be stored (PostgreSQL unavailable)");
        }
    }

    /// <summary>Sync:Interval changed since the reminder was registered: adopt the new period from now on; returns the new anchor.</summary>
    public async Task<DateTimeOffset> AdoptIntervalAsync(DateTimeOffset now)
    {
        var interval = syncOptions.CurrentValue.Interval;
        await grain.RegisterOrUpdateReminder(ReminderName, interval, interval);
        return now + interval;
    }

    /// <summary>Best effort: a reminder left behind finds the user inactive at its next tick and removes itself.</summary>
    public async Task RemoveQuietlyAsync()
    {
        try
        {
            await RemoveAsync(ReminderName);
            await RemoveAsync(GapFollowUpReminderName);
        }
        catch (Exception e)
        {
            LogScheduleRemovalFailed(e, userId);
        }
    }

    public Task RemoveGapFollowUpAsync() => RemoveAsync(GapFollowUpReminderName);

    /// <summary>A reminder, not a timer: the follow-up must survive the grain's deactivation or its silo's loss.</summary>
    public async Task ScheduleGapFollowUpAsync(ListeningGap gap)
    {
        var options = syncOptions.CurrentValue;
        LogPossibleGap(userId, gap.From, gap.To, options.GapFollowUpDelay);
        try
        {
            await grain.RegisterOrUpdateReminder(GapFollowUpReminderName, options.GapFollowUpDelay, options.Interval);
        }
        catch (Exception e)
        {
            LogFollowUpFailed(e, userId);
        }
    }

    private async Task RemoveAsync(string name)
    {
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: possible gap: 50 plays all newer than the cursor, plays between {GapFrom} and {GapTo} may be missing; extra sync in {Delay}")]
    private partial void LogPossibleGap(string userId, DateTimeOffset gapFrom, DateTimeOffset gapTo, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not schedule the extra sync after a possible gap")]
    private partial void LogFollowUpFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: could not store the sync schedule (reminder); the connect is refused with 503")]
    private partial void LogScheduleFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not remove the sync schedule now; its next tick finds the user inactive and removes it")]
    private partial void LogScheduleRemovalFailed(Exception e, string userId);
}
