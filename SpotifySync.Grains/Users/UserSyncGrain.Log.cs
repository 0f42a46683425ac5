using Microsoft.Extensions.Logging;

namespace SpotifySync.Grains.Users;

/// <summary>The grain's log events (structured; a user id, never a token).</summary>
public sealed partial class UserSyncGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: synced {Tracks} tracks")]
    private partial void LogSynced(string userId, int tracks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: {Error}")]
    private partial void LogSyncError(string userId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: possible gap: 50 plays all newer than the cursor, plays between {GapFrom} and {GapTo} may be missing; extra sync in {Delay}")]
    private partial void LogPossibleGap(string userId, DateTimeOffset gapFrom, DateTimeOffset gapTo, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not schedule the extra sync after a possible gap")]
    private partial void LogFollowUpFailed(Exception e, string userId);

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: access token refreshed (refresh token rotated: {Rotated}), expires {ExpiresAt}")]
    private partial void LogTokenRefreshed(string userId, bool rotated, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not report the sync outcome to the coordinator")]
    private partial void LogReportFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: could not store the sync schedule (reminder); the connect is refused with 503")]
    private partial void LogScheduleFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not remove the sync schedule now; its next tick finds the user inactive and removes it")]
    private partial void LogScheduleRemovalFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "User {UserId}: deactivated ({Reason}) before PostgreSQL took its unsaved state; a refresh token rotated meanwhile is lost and the user may have to reconnect")]
    private partial void LogDeactivatedUnsaved(string userId, string reason);
}
