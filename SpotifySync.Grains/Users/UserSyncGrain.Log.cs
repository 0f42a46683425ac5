using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Users;

/// <summary>The grain's log events (structured; a user id, never a token).</summary>
public sealed partial class UserSyncGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: synced {Tracks} tracks")]
    private partial void LogSynced(string userId, int tracks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: {Error}")]
    private partial void LogSyncError(string userId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: Spotify refresh token expires on {ExpiresAt} (in {DaysLeft} days): ask the user to reconnect")]
    private partial void LogRefreshTokenExpiring(string userId, DateTimeOffset expiresAt, int daysLeft);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Failures} failed syncs in a row, scheduled sync skipped until {Until}")]
    private partial void LogBackingOff(string userId, int failures, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: connected Spotify")]
    private partial void LogConnected(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: disconnected Spotify, tokens erased")]
    private partial void LogDisconnected(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: the connection changed during the sync; its results were dropped (a new sync is queued by the connect)")]
    private partial void LogSuperseded(string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not report the sync outcome to the coordinator")]
    private partial void LogReportFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "User {UserId}: deactivated ({Reason}) before PostgreSQL took its unsaved state; a refresh token rotated meanwhile is lost and the user may have to reconnect")]
    private partial void LogDeactivatedUnsaved(string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not queue the {Trigger} sync its reminder asked for (attempt {Attempt}); trying again in {Delay}")]
    private partial void LogReminderEnqueueFailed(Exception e, string userId, SyncTrigger trigger, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: gave up queueing the {Trigger} sync its reminder asked for after {Attempts} attempts; the next tick tries again")]
    private partial void LogReminderTickLost(Exception e, string userId, SyncTrigger trigger, int attempts);
}
