using Microsoft.Extensions.Logging;

namespace SpotifySync.Grains.Coordination;

/// <summary>The coordinator's log events (structured; user ids, never a token).</summary>
public sealed partial class SyncCoordinatorGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Starting sync batch: {UsersQueued} users queued")]
    private partial void LogBatchStarting(int usersQueued);

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Count} users with Spotify connected")]
    private partial void LogUsersFound(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync batch completed in {Seconds}s: {Users} users, {Tracks} tracks, {Failures} failures")]
    private partial void LogBatchCompleted(double seconds, int users, int tracks, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pause over: dispatch resumes")]
    private partial void LogResumedAfterPause();

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator activated with {Count} users still queued")]
    private partial void LogResumed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: did not claim its dispatched sync in time; queued again at the front")]
    private partial void LogClaimTimedOut(string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync all: could not read the active users from PostgreSQL")]
    private partial void LogActiveUsersUnreadable(Exception e);
}
