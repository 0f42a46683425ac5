using Microsoft.Extensions.Logging;

namespace SpotifySync.Grains.Users;

/// <summary>
/// The grain's own log events (structured; a user id, never a token). The sync's are <see cref="RecentlyPlayedSync"/>'s,
/// the reminder ticks' are <see cref="ReminderTicks"/>'s; all log under the grain's category.
/// </summary>
public sealed partial class UserSyncGrain
{
    // Also a sync's (RecentlyPlayedSync.LogSyncError): same name and message, so the same event id.
    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: {Error}")]
    private partial void LogSyncError(string userId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: connected Spotify")]
    private partial void LogConnected(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: disconnected Spotify, tokens erased")]
    private partial void LogDisconnected(string userId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "User {UserId}: deactivated ({Reason}) before PostgreSQL took its unsaved state; a refresh token rotated meanwhile is lost and the user may have to reconnect")]
    private partial void LogDeactivatedUnsaved(string userId, string reason);
}
