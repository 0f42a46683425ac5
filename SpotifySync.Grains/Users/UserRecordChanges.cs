using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>The ways a user's row changes, as pure functions of the row (tokens arrive already encrypted).</summary>
public static class UserRecordChanges
{
    /// <summary>A (re)connect: new tokens, a new authorisation date, a clean failure record; plays and counters stay.</summary>
    public static SpotifyUserRecord Connected(
        SpotifyUserRecord? current, string userId, string refreshTokenEncrypted, string? accessTokenEncrypted,
        DateTimeOffset? accessTokenExpiresAt, string? scope, DateTimeOffset scheduleAnchor, TimeSpan interval, DateTimeOffset now) =>
        (current ?? new SpotifyUserRecord { UserId = userId, State = SpotifyUserStates.Active }) with
        {
            State = SpotifyUserStates.Active,
            RefreshTokenEncrypted = refreshTokenEncrypted,
            AccessTokenEncrypted = accessTokenEncrypted,
            // An access token without an expiry is used only after a refresh: we cannot tell how long it lives.
            AccessTokenExpiresAt = accessTokenEncrypted is null ? null : accessTokenExpiresAt ?? now,
            Scope = scope,
            AuthorizedAt = now,
            ReconnectReason = null,
            QuarantinedAt = null,
            ConsecutiveFailures = 0,
            LastSyncError = null,
            ExpiryWarningDays = null,
            ScheduleAnchor = scheduleAnchor,
            NextSyncDueAt = MissedSchedule.NextDueAfter(scheduleAnchor, interval, now),
        };

    /// <summary>Disconnected or refused by Spotify: the tokens go (Spotify asks apps to discard refused ones), the plays stay.</summary>
    public static SpotifyUserRecord WithoutTokens(SpotifyUserRecord user, string state, string? reason) => user with
    {
        State = state,
        RefreshTokenEncrypted = null,
        AccessTokenEncrypted = null,
        AccessTokenExpiresAt = null,
        ReconnectReason = reason,
        ScheduleAnchor = null,
        NextSyncDueAt = null,
        QuarantinedAt = null,
    };

    /// <summary>
    /// Spotify refused the refresh token, but it may be Spotify's incident: the tokens are kept (still encrypted) and
    /// not used, the schedule stays, until the coordinator says erase or retry. The reason is what an erase will show.
    /// </summary>
    public static SpotifyUserRecord Quarantined(SpotifyUserRecord user, string reason, DateTimeOffset now) => user with
    {
        State = SpotifyUserStates.Quarantined,
        ReconnectReason = reason,
        QuarantinedAt = now,
    };

    /// <summary>A quarantined user whose refresh worked after the storm: active again, with the tokens it kept.</summary>
    public static SpotifyUserRecord Restored(SpotifyUserRecord user) => user with
    {
        State = SpotifyUserStates.Active,
        ReconnectReason = null,
        QuarantinedAt = null,
    };

    /// <summary>A refreshed access token, and the rotated refresh token when Spotify sent one.</summary>
    public static SpotifyUserRecord WithGrant(
        SpotifyUserRecord user, string accessTokenEncrypted, string? rotatedRefreshTokenEncrypted, AccessTokenGrant grant) => user with
    {
        AccessTokenEncrypted = accessTokenEncrypted,
        AccessTokenExpiresAt = grant.ExpiresAt,
        RefreshTokenEncrypted = rotatedRefreshTokenEncrypted ?? user.RefreshTokenEncrypted,
        Scope = grant.Scope ?? user.Scope,
    };

    /// <summary>
    /// Every token of the row under the current key, and the row saying so: applied to every write, so a row is never
    /// left with tokens under two keys (a refresh that keeps the refresh token but brings a new access token).
    /// </summary>
    public static SpotifyUserRecord OnCurrentKey(SpotifyUserRecord user, TokenProtector tokens) =>
        user.RefreshTokenEncrypted is null && user.AccessTokenEncrypted is null
            ? user with { TokenKeyId = null }
            : user with
            {
                RefreshTokenEncrypted = tokens.ToCurrentKey(user.RefreshTokenEncrypted, user.UserId),
                AccessTokenEncrypted = tokens.ToCurrentKey(user.AccessTokenEncrypted, user.UserId),
                TokenKeyId = tokens.CurrentKeyId,
            };

    /// <summary>
    /// The last sync's outcome, as sync-status shows it, and the due time its reminder is held to next (whatever the
    /// outcome: a failed sync is retried by the backoff, not by the missed-sync check).
    /// </summary>
    public static SpotifyUserRecord WithOutcome(
        SpotifyUserRecord user, SyncOutcomeKind kind, string? error, SyncTrigger trigger, Guid syncId,
        DateTimeOffset startedAt, DateTimeOffset completedAt, TimeSpan interval) => user with
    {
        LastSyncStartedAt = startedAt,
        NextSyncDueAt = MissedSchedule.NextDueAfter(user.ScheduleAnchor, interval, startedAt),
        LastSyncCompletedAt = completedAt,
        LastSyncOutcome = kind.ToWireName(),
        LastSyncError = error,
        LastSyncTrigger = trigger.ToWireName(),
        LastSyncId = syncId,
        ConsecutiveFailures = kind switch
        {
            SyncOutcomeKind.Succeeded => 0,
            SyncOutcomeKind.Failed => user.ConsecutiveFailures + 1,
            _ => user.ConsecutiveFailures,
        },
    };
}
