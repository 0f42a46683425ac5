using Orleans.Concurrency;

namespace SpotifySync.Grains.Interfaces;

/// <summary>
/// One app user (key: the app's user id). Owns the user's tokens, schedule and sync. Every call but
/// <see cref="RunSyncAsync"/> answers at once, even while the user's sync waits on Spotify.
/// </summary>
public interface IUserSyncGrain : IGrainWithStringKey
{
    /// <summary>
    /// Connect or reconnect: store tokens, make sure the schedule exists, queue a first sync. Answers with that
    /// sync's ticket too, so the app learns the user's place in the queue without a second call.
    /// </summary>
    Task<UserConnected> ConnectAsync(SpotifyConnection connection);

    /// <summary>Stop the schedule and forget the tokens; the plays stay.</summary>
    Task<UserSyncStatus> DisconnectAsync();

    /// <summary>Queue a sync at the coordinator (never runs it inline). Null when the user is not active.</summary>
    Task<QueueTicket?> RequestSyncAsync(SyncTrigger trigger);

    /// <summary>
    /// "Sync Data": queue a manual sync, unless one this method queued less than <paramref name="cooldown"/> ago is
    /// still pending (answered with it) or finished (answered with its outcome). So a user's manual syncs reach
    /// Spotify at most once per cooldown; decided from memory, no database round trip.
    /// </summary>
    Task<ManualSyncAnswer> RequestManualSyncAsync(TimeSpan cooldown);

    /// <summary>
    /// Run one sync now. Only the coordinator calls this; one-way so the coordinator never waits on Spotify.
    /// The grain first claims its start (<see cref="ISyncCoordinatorGrain.ClaimStartAsync"/>) and touches Spotify
    /// only if the claim is granted; the outcome comes back through <see cref="ISyncCoordinatorGrain.ReportAsync"/>.
    /// </summary>
    [OneWay]
    Task RunSyncAsync(SyncTrigger trigger, long dispatchId, Guid syncId);

    /// <summary>
    /// The coordinator's verdict on a quarantined user (see <see cref="ISyncCoordinatorGrain.RefreshRefusedAsync"/>).
    /// Ignored unless the user is still quarantined. One-way: a retry calls Spotify.
    /// </summary>
    [OneWay]
    Task ResolveQuarantineAsync(QuarantineVerdict verdict);

    /// <summary>
    /// The coordinator's check found this user's scheduled sync overdue (see <c>MissedSchedule</c>): if the grain's
    /// own row agrees and the user is not backing off, queue the sync the reminder tick would have queued, and
    /// register the reminder again if it is gone. One-way: the coordinator never waits on a user.
    /// </summary>
    [OneWay]
    Task CatchUpMissedSyncAsync();

    /// <summary>
    /// The token broker: an access token with at least five minutes left, the stored one or a refresh (which takes a
    /// call-budget permit and never runs beside another refresh of this user). Never waits on Spotify for long: when the
    /// cluster is paused, no permit is due soon or the refresh takes longer, it answers
    /// <see cref="AccessTokenAnswerKind.TryLater"/> (a refresh already sent still stores its result).
    /// </summary>
    Task<AccessTokenAnswer> GetAccessTokenAsync();

    /// <summary>
    /// Exchange an authorization code at Spotify's token endpoint, then connect exactly like <see cref="ConnectAsync"/>:
    /// the refresh token never passes through the app. Bounded like <see cref="GetAccessTokenAsync"/>; an exchange that
    /// outlasts the wait still connects the user when Spotify answers.
    /// </summary>
    Task<AuthorizationCodeConnectAnswer> ConnectWithAuthorizationCodeAsync(AuthorizationCodeGrant grant);

    /// <summary>The grain's current state (what is stored, or about to be while PostgreSQL is away).</summary>
    Task<UserSyncStatus> GetStatusAsync();
}
