using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// One app user. Owns the user's tokens (the only writer of its <c>spotify_users</c> row), the persistent
/// <c>sync</c> reminder, and the sync itself. The grain is the wiring: the sync is <see cref="RecentlyPlayedSync"/>,
/// a reminder's tick <see cref="ReminderTicks"/>; the gates and the connection counter stay here, where every call meets them.
/// <para>
/// Reentrant, so that the app never waits on Spotify: status, "Sync Data", connect and disconnect answer at once
/// even while a sync waits on Spotify. Two gates keep that safe: one sync at a time (so two refreshes of one user
/// can never race), and one row write at a time (<see cref="UserRow"/>). A connect, a disconnect or an erase
/// starts a new <em>connection</em>; a sync that started under an older one stops at its next step and writes
/// nothing, so it can neither revive a disconnected user nor store a token of a connection the app replaced.
/// </para>
/// <para>
/// Placed on the silo that first calls it (the API's gateway silo, or the silo whose reminder service fires): the
/// grain holds nothing PostgreSQL does not and comes and goes with its idle age, so where it lives matters less than
/// not forwarding every connect and "Sync Data" to a random other silo first.
/// </para>
/// </summary>
[Reentrant]
[PreferLocalPlacement]
public sealed partial class UserSyncGrain(
    SpotifyUserStore users,
    ListeningDataWriter writer,
    SpotifyAccountsClient accounts,
    SpotifyWebApiClient webApi,
    TokenProtector tokens,
    IOptionsMonitor<SyncOptions> syncOptions,
    TimeProvider time,
    SyncMetrics metrics,
    ILocalSiloDetails silo,
    ILogger<UserSyncGrain> logger)
    : Grain, IUserSyncGrain, IRemindable
{
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private UserRow _row = null!;
    private UserTokens _tokens = null!;
    private AccessTokenBroker _broker = null!;
    private AuthorizationCodeExchange _codeExchange = null!;
    private UserSchedule _schedule = null!;
    private long _connection;
    private UserConnect _connect = null!;
    private UserRowSaveRetry _saveRetry = null!;
    private readonly ManualSyncCooldown _manualCooldown = new();
    private TokenQuarantine _quarantine = null!;
    private RecentlyPlayedSync _sync = null!;
    private ReminderTicks _reminderTicks = null!;
    private RowFirstRead _firstRead = null!;

    private string? _userId;

    // Decoded once: every helper keeps the id, and each call to GetPrimaryKeyString makes a new string.
    private string UserId => _userId ??= this.GetPrimaryKeyString();

    private ISyncCoordinatorGrain Coordinator => GrainFactory.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // One delegate per activation for each, shared by the helpers: every lambda is an object the grain keeps.
        Func<ISyncCoordinatorGrain> coordinator = () => Coordinator;
        Action newConnection = () => _connection++;
        _row = new UserRow(UserId, users, writer, tokens, () => _saveRetry.StartIfUnsaved(), logger);
        _saveRetry = new UserRowSaveRetry(this, _row, () => syncOptions.CurrentValue.SaveRetryMaxDelay, time);
        _tokens = new UserTokens(UserId, _row, accounts, tokens, () => Coordinator.MayRefreshAsync(UserId), time, metrics, logger);
        _broker = new AccessTokenBroker(UserId, _tokens, coordinator, syncOptions, time, logger);
        _codeExchange = new AuthorizationCodeExchange(UserId, accounts, coordinator, syncOptions, time, logger);
        _schedule = new UserSchedule(this, UserId, syncOptions, logger);
        _quarantine = new TokenQuarantine(UserId, _row, _tokens, _schedule, coordinator, time, logger);
        _sync = new RecentlyPlayedSync(UserId, _row, _tokens, webApi, _schedule, _quarantine, coordinator,
            connection: () => _connection, replaceConnection: newConnection, time, metrics, logger);
        _reminderTicks = new ReminderTicks(UserId, _row, _schedule, coordinator, connectInFlight: () => _connect.InFlight, syncOptions, time, metrics, logger);
        // The row is read by the first call that needs it (a first connect inserts it instead): RowFirstRead.
        _firstRead = new RowFirstRead(_row);
        _connect = new UserConnect(UserId, _row, _firstRead, _schedule, tokens, syncOptions, newConnection);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A rotated refresh token or an erase that only memory holds would die with this activation: keep trying
        // for as long as Orleans lets the deactivation (or the silo's graceful shutdown) wait.
        if (!await _saveRetry.FlushBeforeDeactivationAsync(cancellationToken))
        {
            LogDeactivatedUnsaved(UserId, reason.Description);
        }
    }

    public async Task<UserConnected> ConnectAsync(SpotifyConnection connection)
    {
        if (string.IsNullOrWhiteSpace(connection.RefreshToken))
        {
            throw new ArgumentException("A refresh token is required to connect Spotify.", nameof(connection));
        }
        await _connect.StoreAsync(connection, time.GetUtcNow());
        LogConnected(UserId);
        var firstSync = await RequestSyncAsync(SyncTrigger.Connect);
        LeaveIfSyncFarOff(firstSync);
        return new UserConnected(Status(), firstSync);
    }

    public async Task<UserSyncStatus> DisconnectAsync()
    {
        await _firstRead.WaitAsync();
        if (_row.Current is null)
        {
            return Status();
        }
        // Forgotten in memory first: whatever the table says, no Spotify call uses these tokens again.
        _connection++;
        await _row.ChangeAsync(user => UserRecordChanges.WithoutTokens(user!, SpotifyUserStates.Disconnected, reason: null), CancellationToken.None);
        LogDisconnected(UserId);
        await _schedule.RemoveQuietlyAsync();
        // Nothing left to do until the app connects the user again.
        DeactivateOnIdle();
        return Status();
    }

    public Task<AuthorizationCodeConnectAnswer> ConnectWithAuthorizationCodeAsync(AuthorizationCodeGrant grant) =>
        _codeExchange.ConnectAsync(grant, ConnectAsync);

    public async Task<AccessTokenAnswer> GetAccessTokenAsync()
    {
        await _firstRead.WaitAsync();
        if (_row.Current is not { IsActive: true })
        {
            return AccessTokenAnswer.WithoutToken(Status());
        }
        var connection = _connection;
        try
        {
            return await _broker.AccessTokenAsync(() =>
            {
                if (connection != _connection)
                {
                    throw new ConnectionReplacedException();
                }
            });
        }
        catch (SpotifyRefreshTokenRejectedException e) when (connection == _connection)
        {
            // As in a sync: quarantined (kept, never used) until the coordinator's verdict says whether this was the
            // user's revocation (erased, reconnect) or part of Spotify's invalid_grant storm (restored).
            _connection++;
            var reason = RefreshTokenLifetime.RejectionReason(_row.Current?.AuthorizedAt, time.GetUtcNow(), e.Message);
            await _row.TryChangeAsync(_quarantine.Quarantine(reason), CancellationToken.None);
            LogSyncError(UserId, reason);
            await _quarantine.ReportRefusedAsync();
            return AccessTokenAnswer.WithoutToken(Status());
        }
        catch (Exception e) when (e is ConnectionReplacedException || connection != _connection)
        {
            // Connected again or disconnected while the refresh was out: what holds now is the new connection's state.
            return _row.Current is { IsActive: true }
                ? AccessTokenAnswer.TryLater(RetryLaterAdvice.Shortest, "the user's Spotify connection changed meanwhile")
                : AccessTokenAnswer.WithoutToken(Status());
        }
    }

    public async Task<QueueTicket?> RequestSyncAsync(SyncTrigger trigger)
    {
        await _firstRead.WaitAsync();
        return _row.Current is { IsActive: true } ? await Coordinator.EnqueueAsync(UserId, trigger) : null;
    }

    public async Task<ManualSyncAnswer> RequestManualSyncAsync(TimeSpan cooldown)
    {
        await _firstRead.WaitAsync();
        if (_row.Current is not { IsActive: true })
        {
            return new ManualSyncAnswer(null, Status(), null);
        }
        var now = time.GetUtcNow();
        var status = Status();
        var pending = await Coordinator.GetPositionAsync(UserId);
        switch (_manualCooldown.Decide(now, cooldown, pending, status.LastSyncId))
        {
            case ManualSyncVerdict.AnswerLastOutcome:
                return new ManualSyncAnswer(null, status, _manualCooldown.CooldownUntil(cooldown));
            case ManualSyncVerdict.AnswerPending when pending is { } position && _manualCooldown.LastTicket is { } last:
                return new ManualSyncAnswer(last with { Position = position, AlreadyQueued = true }, status, _manualCooldown.CooldownUntil(cooldown));
        }
        var ticket = await Coordinator.EnqueueAsync(UserId, SyncTrigger.Manual);
        _manualCooldown.Allowed(now, ticket);
        return new ManualSyncAnswer(ticket, Status(), now + cooldown);
    }

    public async Task<UserSyncStatus> GetStatusAsync()
    {
        await _firstRead.WaitAsync();
        return Status();
    }

    public async Task RunSyncAsync(SyncTrigger trigger, long dispatchId, Guid syncId)
    {
        await _firstRead.WaitAsync();
        await _syncGate.WaitAsync();
        try
        {
            if (!await Coordinator.ClaimStartAsync(UserId, dispatchId, trigger, syncId, silo.SiloAddress))
            {
                // This dispatch arrived too late and its slot went to someone else; the coordinator queued us again.
                return;
            }
            await _sync.RunAsync(trigger, syncId);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    public async Task ResolveQuarantineAsync(QuarantineVerdict verdict)
    {
        await _firstRead.WaitAsync();
        // Under the sync gate: a retry refreshes, and two refreshes of one user must never race.
        await _syncGate.WaitAsync();
        try
        {
            var connection = _connection;
            await _quarantine.ResolveAsync(verdict,
                stillConnected: () =>
                {
                    if (connection != _connection)
                    {
                        throw new ConnectionReplacedException();
                    }
                },
                erased: () => _connection++);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await _firstRead.WaitAsync();
        LeaveIfSyncFarOff(await _reminderTicks.ReceiveAsync(reminderName, status));
    }

    public async Task CatchUpMissedSyncAsync()
    {
        await _firstRead.WaitAsync();
        await _reminderTicks.CatchUpMissedAsync();
    }

    /// <summary>See <see cref="IdleUserCollection.LeavesBeforeItsSync"/>. Not after "Sync Data": its cooldown lives in memory.</summary>
    private void LeaveIfSyncFarOff(QueueTicket? queued)
    {
        if (queued is not null && IdleUserCollection.LeavesBeforeItsSync(queued, time.GetUtcNow(), syncOptions.CurrentValue.IdleUserCollectionAge))
        {
            DeactivateOnIdle();
        }
    }

    private UserSyncStatus Status() => UserSyncStatusMapper.ToStatus(UserId, _row.Current, syncOptions.CurrentValue, time.GetUtcNow());
}
