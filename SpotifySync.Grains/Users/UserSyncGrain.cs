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
/// <c>sync</c> reminder, and the sync itself.
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
    private int _connectsInFlight;
    private UserRowSaveRetry _saveRetry = null!;
    private readonly ManualSyncCooldown _manualCooldown = new();
    private TokenQuarantine _quarantine = null!;

    private string UserId => this.GetPrimaryKeyString();

    private ISyncCoordinatorGrain Coordinator => GrainFactory.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _row = new UserRow(UserId, users, writer, tokens, () => _saveRetry.StartIfUnsaved(), logger);
        _saveRetry = new UserRowSaveRetry(this, _row, () => syncOptions.CurrentValue.SaveRetryMaxDelay, time);
        _tokens = new UserTokens(UserId, _row, accounts, tokens, () => Coordinator.MayRefreshAsync(UserId), time, metrics, logger);
        _broker = new AccessTokenBroker(UserId, _tokens, () => Coordinator, syncOptions, time, logger);
        _codeExchange = new AuthorizationCodeExchange(UserId, accounts, () => Coordinator, syncOptions, time, logger);
        _schedule = new UserSchedule(this, UserId, syncOptions, logger);
        _quarantine = new TokenQuarantine(UserId, _row, _tokens, _schedule, () => Coordinator, time, logger);
        await _row.LoadAsync(cancellationToken);
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
        var now = time.GetUtcNow();
        // The reminder is registered before the row says "active", and may be due at once: its tick must not take the
        // user for a disconnected one meanwhile (see ReceiveReminder).
        _connectsInFlight++;
        try
        {
            var anchor = await _schedule.EnsureAsync(_row.Current?.ScheduleAnchor, now);
            var refreshToken = tokens.Protect(connection.RefreshToken, UserId);
            var accessToken = connection.AccessToken is { Length: > 0 } access ? tokens.Protect(access, UserId) : null;
            _connection++;
            await _row.ChangeAsync(current => UserRecordChanges.Connected(
                current, UserId, refreshToken, accessToken, connection.AccessTokenExpiresAt, connection.Scope, anchor, now), CancellationToken.None);
        }
        finally
        {
            _connectsInFlight--;
        }
        LogConnected(UserId);
        var firstSync = await RequestSyncAsync(SyncTrigger.Connect);
        return new UserConnected(Status(), firstSync);
    }

    public async Task<UserSyncStatus> DisconnectAsync()
    {
        if (_row.Current is null)
        {
            return Status();
        }
        // Forgotten in memory first: whatever the table says, no Spotify call uses these tokens again.
        _connection++;
        await _row.ChangeAsync(user => UserRecordChanges.WithoutTokens(user!, SpotifyUserStates.Disconnected, reason: null), CancellationToken.None);
        LogDisconnected(UserId);
        await _schedule.RemoveQuietlyAsync();
        return Status();
    }

    public Task<AuthorizationCodeConnectAnswer> ConnectWithAuthorizationCodeAsync(AuthorizationCodeGrant grant) =>
        _codeExchange.ConnectAsync(grant, ConnectAsync);

    public async Task<AccessTokenAnswer> GetAccessTokenAsync()
    {
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

    public async Task<QueueTicket?> RequestSyncAsync(SyncTrigger trigger) =>
        _row.Current is { IsActive: true } ? await Coordinator.EnqueueAsync(UserId, trigger) : null;

    public async Task<ManualSyncAnswer> RequestManualSyncAsync(TimeSpan cooldown)
    {
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

    public Task<UserSyncStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task RunSyncAsync(SyncTrigger trigger, long dispatchId, Guid syncId)
    {
        await _syncGate.WaitAsync();
        try
        {
            if (!await Coordinator.ClaimStartAsync(UserId, dispatchId, trigger, syncId, silo.SiloAddress))
            {
                // This dispatch arrived too late and its slot went to someone else; the coordinator queued us again.
                return;
            }
            var run = new SyncRun(trigger, syncId, time.GetUtcNow(), _connection);
            var outcome = _row.Current is { IsActive: true }
                ? await SyncAsync(run)
                : new SyncOutcome(UserId, SyncOutcomeKind.Skipped, 0, "user is not active", null, TimeSpan.Zero);
            metrics.SyncFinished(outcome);
            await ReportAsync(outcome);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    public async Task ResolveQuarantineAsync(QuarantineVerdict verdict)
    {
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
        if (reminderName == UserSchedule.GapFollowUpReminderName)
        {
            await _schedule.RemoveGapFollowUpAsync();
            if (_row.Current is { IsActive: true })
            {
                await EnqueueFromReminderAsync(SyncTrigger.GapFollowUp);
            }
            return;
        }
        if (reminderName != UserSchedule.ReminderName)
        {
            return;
        }
        if (_row.Current is { IsQuarantined: true })
        {
            // Its tokens wait for the coordinator's verdict; the schedule stays for when they are restored.
            return;
        }
        if (_row.Current is not { IsActive: true } user)
        {
            // A reminder left behind by a disconnect goes; one whose connect is still being stored stays (the grain is
            // reentrant, so the tick can come between the registration and the row write). Removing that one left a
            // connected user without a schedule: the steady benchmark found such users, never synced again.
            if (_connectsInFlight == 0)
            {
                await _schedule.RemoveQuietlyAsync();
            }
            return;
        }
        var options = syncOptions.CurrentValue;
        if (SyncSchedule.BackoffUntil(user, options) is { } until && time.GetUtcNow() < until)
        {
            LogBackingOff(UserId, user.ConsecutiveFailures, until);
            return;
        }
        if (status.Period != options.Interval)
        {
            var anchor = await _schedule.AdoptIntervalAsync(time.GetUtcNow());
            await _row.TryChangeAsync(u => u with { ScheduleAnchor = anchor }, CancellationToken.None);
        }
        if (options.Enabled)
        {
            await EnqueueFromReminderAsync(SyncTrigger.Scheduled);
        }
    }

    /// <summary>A tick is delivered once: an enqueue that fails is tried again (<see cref="ReminderEnqueueRetry"/>), not dropped.</summary>
    private async Task EnqueueFromReminderAsync(SyncTrigger trigger)
    {
        for (var failures = 0; ; )
        {
            try
            {
                await Coordinator.EnqueueAsync(UserId, trigger);
                return;
            }
            catch (Exception e)
            {
                if (ReminderEnqueueRetry.DelayAfter(++failures) is not { } delay)
                {
                    LogReminderTickLost(e, UserId, trigger, failures);
                    throw;
                }
                LogReminderEnqueueFailed(e, UserId, trigger, failures, delay);
                await Task.Delay(delay, time);
            }
        }
    }

    private async Task<SyncOutcome> SyncAsync(SyncRun run)
    {
        try
        {
            var stillConnected = () => EnsureStillConnected(run);
            var accessToken = await _tokens.UsableAccessTokenAsync(stillConnected, CancellationToken.None);
            RecentlyPlayedPage page;
            try
            {
                page = await webApi.GetRecentlyPlayedAsync(accessToken, CancellationToken.None);
            }
            catch (SpotifyAccessTokenRejectedException)
            {
                // A token can die before its announced expiry (revoked, rotated): refresh once and retry once.
                accessToken = await _tokens.RefreshAsync(stillConnected, CancellationToken.None);
                page = await webApi.GetRecentlyPlayedAsync(accessToken, CancellationToken.None);
            }
            EnsureStillConnected(run);
            return await CommitAsync(run, ListeningRowMapper.Map(UserId, page));
        }
        catch (SpotifyRefreshTokenRejectedException e) when (run.Connection == _connection)
        {
            // Spotify asks apps to discard a refused refresh token and never retry it, but a storm of refusals is
            // Spotify's incident: the tokens are quarantined (kept, never used) until the coordinator's verdict
            // (TokenQuarantine). Quarantined in memory first, so no call uses them even while PostgreSQL is away.
            _connection++;
            var reason = RefreshTokenLifetime.RejectionReason(_row.Current?.AuthorizedAt, time.GetUtcNow(), e.Message);
            var outcome = await UnsuccessfulAsync(run, SyncOutcomeKind.TokensQuarantined, reason, _quarantine.Quarantine(reason));
            await _quarantine.ReportRefusedAsync();
            return outcome;
        }
        catch (RefreshDeferredException e)
        {
            // Not the user's failure: the coordinator holds dispatch for the storm and puts the user back in front.
            return await UnsuccessfulAsync(run, SyncOutcomeKind.RefreshDeferred, e.Message);
        }
        catch (Exception e) when (e is ConnectionReplacedException || run.Connection != _connection)
        {
            // Connected again or disconnected meanwhile: this run's tokens and results belong to the old connection.
            LogSuperseded(UserId);
            return new SyncOutcome(UserId, SyncOutcomeKind.Skipped, 0, "the connection changed during the sync", null, Elapsed(run));
        }
        catch (SpotifyClientRejectedException e)
        {
            // Our app's credentials are wrong: every user would fail the same way. Not this user's failure.
            return await UnsuccessfulAsync(run, SyncOutcomeKind.AppCredentialsRejected, e.Message);
        }
        catch (SpotifyThrottledException e)
        {
            // Not the user's fault either: the coordinator pauses everyone and puts this user back in front.
            var kind = e.QuotaExceeded ? SyncOutcomeKind.QuotaExceeded : SyncOutcomeKind.Throttled;
            return await UnsuccessfulAsync(run, kind, e.Message, retryAfter: e.RetryAfter);
        }
        catch (Exception e)
        {
            // One user's failure must never stop the others: record it on the row and let the next tick retry.
            return await UnsuccessfulAsync(run, SyncOutcomeKind.Failed, SyncErrors.Describe(e));
        }
    }

    private async Task<SyncOutcome> CommitAsync(SyncRun run, IReadOnlyList<ListeningRow> rows)
    {
        var user = _row.Current!;
        var gap = ListeningGaps.PossibleGap(user.LatestPlayedAt, rows);
        var completedAt = time.GetUtcNow();
        var warning = WarnIfRefreshTokenExpiresSoon(user, completedAt);
        var saved = await _row.CommitAsync(u => UserRecordChanges.WithOutcome(u, SyncOutcomeKind.Succeeded, null, run.Trigger, run.SyncId, run.StartedAt, completedAt) with
        {
            LatestPlayedAt = ListeningGaps.Cursor(u.LatestPlayedAt, rows),
            GapsDetected = u.GapsDetected + (gap is null ? 0 : 1),
            LastGapFrom = gap?.From ?? u.LastGapFrom,
            LastGapTo = gap?.To ?? u.LastGapTo,
            ExpiryWarningDays = warning,
            TotalSyncs = u.TotalSyncs + 1,
        }, rows, completedAt, gap, CancellationToken.None);
        LogSynced(UserId, saved.LastSyncTracks);
        if (gap is not null)
        {
            await _schedule.ScheduleGapFollowUpAsync(gap);
        }
        return new SyncOutcome(UserId, SyncOutcomeKind.Succeeded, saved.LastSyncTracks, null, null, Elapsed(run));
    }

    /// <summary>Records a sync that wrote no plays (in memory at once, in the table when PostgreSQL answers) and logs it.</summary>
    private async Task<SyncOutcome> UnsuccessfulAsync(
        SyncRun run, SyncOutcomeKind kind, string error, Func<SpotifyUserRecord, SpotifyUserRecord>? also = null, TimeSpan? retryAfter = null)
    {
        var completedAt = time.GetUtcNow();
        await _row.TryChangeAsync(user => UserRecordChanges.WithOutcome(
            also is null ? user : also(user), kind, error, run.Trigger, run.SyncId, run.StartedAt, completedAt), CancellationToken.None);
        LogSyncError(UserId, error);
        return new SyncOutcome(UserId, kind, 0, error, retryAfter, completedAt - run.StartedAt);
    }

    private void EnsureStillConnected(SyncRun run)
    {
        if (run.Connection != _connection)
        {
            throw new ConnectionReplacedException();
        }
    }

    private async Task ReportAsync(SyncOutcome outcome)
    {
        try
        {
            await Coordinator.ReportAsync(outcome);
        }
        catch (Exception e)
        {
            // The coordinator forgets unreported syncs after a timeout; nothing of the user's data depends on this.
            LogReportFailed(e, UserId);
        }
    }

    /// <summary>Logs the 30- and 7-day warnings once each; returns the warning level to store.</summary>
    private int? WarnIfRefreshTokenExpiresSoon(SpotifyUserRecord user, DateTimeOffset now)
    {
        if (user.AuthorizedAt is not { } authorizedAt
            || RefreshTokenLifetime.WarningDue(authorizedAt, user.ExpiryWarningDays, now) is not { } due)
        {
            return user.ExpiryWarningDays;
        }
        var expiresAt = RefreshTokenLifetime.ExpiresAt(authorizedAt);
        LogRefreshTokenExpiring(UserId, expiresAt, Math.Max(0, (int)Math.Floor((expiresAt - now).TotalDays)));
        return due;
    }

    private UserSyncStatus Status() => UserSyncStatusMapper.ToStatus(UserId, _row.Current, syncOptions.CurrentValue, time.GetUtcNow());

    private TimeSpan Elapsed(SyncRun run) => time.GetUtcNow() - run.StartedAt;
}
