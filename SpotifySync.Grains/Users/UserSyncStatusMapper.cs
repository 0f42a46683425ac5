using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>A user's row as the app and operators see it (sync-status).</summary>
public static class UserSyncStatusMapper
{
    public static UserSyncStatus ToStatus(string userId, SpotifyUserRecord? user, SyncOptions options, DateTimeOffset now)
    {
        if (user is null)
        {
            return new UserSyncStatus { UserId = userId, State = UserConnectionState.NotConnected };
        }
        return new UserSyncStatus
        {
            UserId = user.UserId,
            State = user.State switch
            {
                SpotifyUserStates.Active => UserConnectionState.Active,
                SpotifyUserStates.NeedsReconnect => UserConnectionState.NeedsReconnect,
                SpotifyUserStates.Quarantined => UserConnectionState.Quarantined,
                _ => UserConnectionState.Disconnected,
            },
            ReconnectReason = user.ReconnectReason,
            AuthorizedAt = user.AuthorizedAt,
            RefreshTokenExpiresAt = user.IsActive && user.AuthorizedAt is { } at ? RefreshTokenLifetime.ExpiresAt(at) : null,
            LastSyncStartedAt = user.LastSyncStartedAt,
            LastSyncCompletedAt = user.LastSyncCompletedAt,
            LastSyncOutcome = user.LastSyncOutcome,
            LastError = user.LastSyncError,
            LastTrigger = user.LastSyncTrigger,
            LastSyncId = user.LastSyncId,
            NextScheduledSync = user.IsActive && options.Enabled ? SyncSchedule.NextDue(user.ScheduleAnchor, options.Interval, now) : null,
            LatestPlayedAt = user.LatestPlayedAt,
            TotalTracks = user.TotalTracks,
            TotalSyncs = user.TotalSyncs,
            ConsecutiveFailures = user.ConsecutiveFailures,
            LastSyncTracks = user.LastSyncTracks,
            BackoffUntil = user.IsActive ? SyncSchedule.BackoffUntil(user, options) : null,
            GapsDetected = user.GapsDetected,
            LastGapFrom = user.LastGapFrom,
            LastGapTo = user.LastGapTo,
        };
    }
}
