using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>Body of <c>GET /api/users/{userId}/sync-status</c>.</summary>
public sealed record SyncStatusResponse(
    string UserId,
    string State,
    string? ReconnectReason,
    DateTimeOffset? AuthorizedAt,
    DateTimeOffset? RefreshTokenExpiresAt,
    DateTimeOffset? LastSyncStartedAt,
    DateTimeOffset? LastSyncCompletedAt,
    string? LastSyncOutcome,
    int LastSyncTracks,
    string? LastError,
    string? LastTrigger,
    DateTimeOffset? NextScheduledSync,
    int? QueuePosition,
    DateTimeOffset? LatestPlayedAt,
    long TotalTracks,
    long TotalSyncs,
    int ConsecutiveFailures,
    DateTimeOffset? BackoffUntil,
    int GapsDetected,
    DateTimeOffset? LastGapFrom,
    DateTimeOffset? LastGapTo,
    Guid? LastSyncId)
{
    public static SyncStatusResponse From(UserSyncStatus s, int? queuePosition) => new(
        s.UserId,
        StateName(s.State),
        s.ReconnectReason,
        s.AuthorizedAt,
        s.RefreshTokenExpiresAt,
        s.LastSyncStartedAt,
        s.LastSyncCompletedAt,
        s.LastSyncOutcome,
        s.LastSyncTracks,
        s.LastError,
        s.LastTrigger,
        s.NextScheduledSync,
        queuePosition,
        s.LatestPlayedAt,
        s.TotalTracks,
        s.TotalSyncs,
        s.ConsecutiveFailures,
        s.BackoffUntil,
        s.GapsDetected,
        s.LastGapFrom,
        s.LastGapTo,
        s.LastSyncId);

    /// <summary>The same words as <c>spotify_users.state</c>.</summary>
    public static string StateName(UserConnectionState state) => state switch
    {
        UserConnectionState.Active => "active",
        UserConnectionState.NeedsReconnect => "needs_reconnect",
        UserConnectionState.Disconnected => "disconnected",
        UserConnectionState.Quarantined => "quarantined",
        _ => "not_connected",
    };
}

/// <summary>Body of a 202 from <c>POST /api/users/{userId}/sync</c>.</summary>
public sealed record SyncQueuedResponse(string UserId, Guid SyncId, int QueuePosition, bool AlreadyQueued, DateTimeOffset EstimatedStart, string StatusUrl);

/// <summary>Body of <c>POST /api/users/{userId}/sync?wait=true</c> once the sync finished.</summary>
public sealed record SyncCompletedResponse(string UserId, Guid SyncId, string? Outcome, int TracksAdded, string? Error, DateTimeOffset? CompletedAt, SyncStatusResponse Status);

/// <summary>Body of <c>POST /api/spotify/sync-all-users</c>.</summary>
public sealed record SyncAllResponse(int UsersFound, int NewlyQueued, int QueueLength, DateTimeOffset EstimatedFinish);
