using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// One app user. Owns the user's tokens (the only writer of its <c>spotify_users</c> row, so two refreshes
/// for one user can never race), the persistent <c>sync</c> reminder, and the sync itself. Being
/// non-reentrant, it runs at most one sync at a time whatever asks for it.
/// </summary>
public sealed partial class UserSyncGrain(
    SpotifyUserStore users,
    ListeningDataWriter writer,
    SpotifyAccountsClient accounts,
    SpotifyWebApiClient webApi,
    TokenProtector tokens,
    IOptionsMonitor<SyncOptions> syncOptions,
    TimeProvider time,
    SyncMetrics metrics,
    ILogger<UserSyncGrain> logger)
    : Grain, IUserSyncGrain, IRemindable
{
    public const string ReminderName = "sync";

    /// <summary>One-off reminder for the early extra sync after a possible gap; removed when it fires.</summary>
    public const string GapFollowUpReminderName = "sync-gap-follow-up";

    /// <summary>Refresh ahead of expiry so a token never dies between the check and the call.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private SpotifyUserRecord? _user;

    private string UserId => this.GetPrimaryKeyString();

    private ISyncCoordinatorGrain Coordinator => GrainFactory.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _user = await users.LoadAsync(UserId, cancellationToken);
    }

    public async Task<UserSyncStatus> ConnectAsync(SpotifyConnection connection)
    {
        if (string.IsNullOrWhiteSpace(connection.RefreshToken))
        {
            throw new ArgumentException("A refresh token is required to connect Spotify.", nameof(connection));
        }
        var now = time.GetUtcNow();
        var user = (_user ?? new SpotifyUserRecord { UserId = UserId, State = SpotifyUserStates.Active }) with
        {
            State = SpotifyUserStates.Active,
            RefreshTokenEncrypted = tokens.Protect(connection.RefreshToken, UserId),
            AccessTokenEncrypted = connection.AccessToken is { Length: > 0 } access ? tokens.Protect(access, UserId) : null,
            // An access token without an expiry is used only after a refresh: we cannot tell how long it lives.
            AccessTokenExpiresAt = connection.AccessToken is { Length: > 0 } ? connection.AccessTokenExpiresAt ?? now : null,
            Scope = connection.Scope,
            AuthorizedAt = now,
            ReconnectReason = null,
            ConsecutiveFailures = 0,
            LastSyncError = null,
            ExpiryWarningDays = null,
        };
        user = user with { ScheduleAnchor = await EnsureScheduleAsync(user.ScheduleAnchor, now) };
        _user = await users.SaveAsync(user, CancellationToken.None);
        LogConnected(UserId);
        await RequestSyncAsync(SyncTrigger.Connect);
        return ToStatus(_user);
    }

    public async Task<UserSyncStatus> DisconnectAsync()
    {
        await RemoveScheduleAsync();
        if (_user is null)
        {
            return ToStatus(null);
        }
        _user = await users.SaveAsync(WithoutTokens(_user, SpotifyUserStates.Disconnected, reason: null), CancellationToken.None);
        LogDisconnected(UserId);
        return ToStatus(_user);
    }

    public async Task<QueueTicket?> RequestSyncAsync(SyncTrigger trigger)
    {
        if (_user is not { IsActive: true })
        {
            return null;
        }
        return await Coordinator.EnqueueAsync(UserId, trigger);
    }

    public Task<UserSyncStatus> GetStatusAsync() => Task.FromResult(ToStatus(_user));

    public async Task RunSyncAsync(SyncTrigger trigger, long dispatchId)
    {
        if (!await Coordinator.ClaimStartAsync(UserId, dispatchId))
        {
            // This dispatch arrived too late and its slot went to someone else; the coordinator queued us again.
            return;
        }
        var startedAt = time.GetUtcNow();
        var outcome = _user is { IsActive: true }
            ? await SyncAsync(trigger, startedAt)
            : new SyncOutcome(UserId, SyncOutcomeKind.Skipped, 0, "user is not active", null, TimeSpan.Zero);
        metrics.SyncFinished(outcome);
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

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == GapFollowUpReminderName)
        {
            await RemoveReminderAsync(GapFollowUpReminderName);
            if (_user is { IsActive: true })
            {
                await Coordinator.EnqueueAsync(UserId, SyncTrigger.GapFollowUp);
            }
            return;
        }
        if (reminderName != ReminderName)
        {
            return;
        }
        if (_user is not { IsActive: true })
        {
            await RemoveScheduleAsync();
            return;
        }
        var options = syncOptions.CurrentValue;
        if (BackoffUntil(_user, options) is { } until && time.GetUtcNow() < until)
        {
            LogBackingOff(UserId, _user.ConsecutiveFailures, until);
            return;
        }
        if (status.Period != options.Interval)
        {
            // Sync:Interval changed since this reminder was registered: adopt the new period from now on.
            var anchor = time.GetUtcNow() + options.Interval;
            await this.RegisterOrUpdateReminder(ReminderName, options.Interval, options.Interval);
            _user = await users.SaveAsync(_user with { ScheduleAnchor = anchor }, CancellationToken.None);
        }
        if (options.Enabled)
        {
            await Coordinator.EnqueueAsync(UserId, SyncTrigger.Scheduled);
        }
    }

    private async Task<SyncOutcome> SyncAsync(SyncTrigger trigger, DateTimeOffset startedAt)
    {
        var cancellationToken = CancellationToken.None;
        try
        {
            var accessToken = await UsableAccessTokenAsync(cancellationToken);
            RecentlyPlayedPage page;
            try
            {
                page = await webApi.GetRecentlyPlayedAsync(accessToken, cancellationToken);
            }
            catch (SpotifyAccessTokenRejectedException)
            {
                // A token can die before its announced expiry (revoked, rotated): refresh once and retry once.
                accessToken = await RefreshAccessTokenAsync(cancellationToken);
                page = await webApi.GetRecentlyPlayedAsync(accessToken, cancellationToken);
            }

            var rows = ListeningRowMapper.Map(UserId, page);
            var gap = PossibleGap(_user!.LatestPlayedAt, rows);
            var completedAt = time.GetUtcNow();
            var user = _user! with
            {
                LatestPlayedAt = Latest(_user!.LatestPlayedAt, rows),
                GapsDetected = _user.GapsDetected + (gap is null ? 0 : 1),
                LastGapFrom = gap?.From ?? _user.LastGapFrom,
                LastGapTo = gap?.To ?? _user.LastGapTo,
                ExpiryWarningDays = WarnIfRefreshTokenExpiresSoon(_user, completedAt),
                LastSyncStartedAt = startedAt,
                LastSyncCompletedAt = completedAt,
                LastSyncOutcome = SyncOutcomeKind.Succeeded.ToWireName(),
                LastSyncError = null,
                LastSyncTrigger = trigger.ToWireName(),
                ConsecutiveFailures = 0,
                TotalSyncs = _user.TotalSyncs + 1,
            };
            _user = await writer.CommitAsync(user, rows, completedAt, cancellationToken, gap);
            LogSynced(UserId, _user.LastSyncTracks);
            if (gap is not null)
            {
                await ScheduleGapFollowUpAsync(gap);
            }
            return new SyncOutcome(UserId, SyncOutcomeKind.Succeeded, _user.LastSyncTracks, null, null, time.GetUtcNow() - startedAt);
        }
        catch (SpotifyRefreshTokenRejectedException e)
        {
            // Spotify asks apps to discard a refused refresh token and never retry it.
            var reason = ReconnectReason(e);
            var outcome = await UnsuccessfulAsync(WithoutTokens(_user!, SpotifyUserStates.NeedsReconnect, reason),
                startedAt, trigger, SyncOutcomeKind.NeedsReconnect, reason);
            await RemoveScheduleAsync();
            return outcome;
        }
        catch (SpotifyClientRejectedException e)
        {
            // Our app's credentials are wrong: every user would fail the same way. Not this user's failure.
            return await UnsuccessfulAsync(_user!, startedAt, trigger, SyncOutcomeKind.AppCredentialsRejected, e.Message);
        }
        catch (SpotifyThrottledException e)
        {
            // Not the user's fault either: the coordinator pauses everyone and puts this user back in front.
            return await UnsuccessfulAsync(_user!, startedAt, trigger, SyncOutcomeKind.Throttled, e.Message, e.RetryAfter);
        }
        catch (Exception e)
        {
            // One user's failure must never stop the others: record it on the row and let the next tick retry.
            if (e is ConcurrencyConflictException)
            {
                _user = await users.LoadAsync(UserId, cancellationToken);
            }
            var user = _user! with { ConsecutiveFailures = _user!.ConsecutiveFailures + 1 };
            return await UnsuccessfulAsync(user, startedAt, trigger, SyncOutcomeKind.Failed, Describe(e));
        }
    }

    /// <summary>Records a sync that wrote no plays on the user's row (best effort: PostgreSQL may be what failed) and logs it.</summary>
    private async Task<SyncOutcome> UnsuccessfulAsync(
        SpotifyUserRecord user, DateTimeOffset startedAt, SyncTrigger trigger, SyncOutcomeKind kind, string error, TimeSpan? retryAfter = null)
    {
        var completedAt = time.GetUtcNow();
        await SaveQuietlyAsync(user with
        {
            LastSyncStartedAt = startedAt,
            LastSyncCompletedAt = completedAt,
            LastSyncOutcome = kind.ToWireName(),
            LastSyncError = error,
            LastSyncTrigger = trigger.ToWireName(),
        });
        LogSyncError(UserId, error);
        return new SyncOutcome(UserId, kind, 0, error, retryAfter, completedAt - startedAt);
    }

    private async Task<string> UsableAccessTokenAsync(CancellationToken cancellationToken)
    {
        var user = _user!;
        if (user.AccessTokenEncrypted is { } stored && user.AccessTokenExpiresAt is { } expiresAt
            && expiresAt - time.GetUtcNow() > RefreshMargin)
        {
            return tokens.Unprotect(stored, UserId);
        }
        return await RefreshAccessTokenAsync(cancellationToken);
    }

    private async Task<string> RefreshAccessTokenAsync(CancellationToken cancellationToken)
    {
        var user = _user!;
        var grant = await accounts.RefreshAsync(tokens.Unprotect(user.RefreshTokenEncrypted!, UserId), cancellationToken);
        // Stored before the new access token is used for anything: if Spotify rotated the refresh token,
        // the old one may already be dead, and a crash now must not leave us holding only that one.
        // Kept in memory first, so that if PostgreSQL is down the next save (same version) still writes it.
        _user = user with
        {
            AccessTokenEncrypted = tokens.Protect(grant.AccessToken, UserId),
            AccessTokenExpiresAt = grant.ExpiresAt,
            RefreshTokenEncrypted = grant.RotatedRefreshToken is { } rotated ? tokens.Protect(rotated, UserId) : user.RefreshTokenEncrypted,
            Scope = grant.Scope ?? user.Scope,
        };
        _user = await users.SaveAsync(_user, cancellationToken);
        metrics.TokenRefreshed(grant.RotatedRefreshToken is null ? "kept" : "rotated");
        LogTokenRefreshed(UserId, grant.RotatedRefreshToken is not null, grant.ExpiresAt);
        return grant.AccessToken;
    }

    private async Task SaveQuietlyAsync(SpotifyUserRecord user)
    {
        try
        {
            _user = await users.SaveAsync(user, CancellationToken.None);
        }
        catch (Exception e)
        {
            // PostgreSQL may be what failed; the sync outcome still goes to the coordinator and the log.
            LogSaveFailed(e, UserId);
            if (e is ConcurrencyConflictException)
            {
                _user = await users.LoadAsync(UserId, CancellationToken.None);
            }
        }
    }

    /// <summary>Registers the reminder once (first due at a random point of the interval, to spread users); returns its anchor.</summary>
    private async Task<DateTimeOffset> EnsureScheduleAsync(DateTimeOffset? anchor, DateTimeOffset now)
    {
        if (anchor is { } existing && await this.GetReminder(ReminderName) is not null)
        {
            return existing;
        }
        var interval = syncOptions.CurrentValue.Interval;
        var firstDue = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * interval.Ticks));
        await this.RegisterOrUpdateReminder(ReminderName, firstDue, interval);
        return now + firstDue;
    }

    private async Task RemoveScheduleAsync()
    {
        await RemoveReminderAsync(ReminderName);
        await RemoveReminderAsync(GapFollowUpReminderName);
    }

    private async Task RemoveReminderAsync(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Spotify keeps only 50 plays: if all 50 it returned are newer than our cursor, older unseen plays may have
    /// been pushed out. A first sync (no cursor) is not a gap: there is nothing older we could have read.
    /// </summary>
    private static ListeningGap? PossibleGap(DateTimeOffset? cursor, IReadOnlyList<ListeningRow> rows)
    {
        if (cursor is not { } from || rows.Count < SpotifyWebApiClient.MaxRecentlyPlayed)
        {
            return null;
        }
        var oldest = rows.Min(r => r.PlayedAt);
        return oldest > from ? new ListeningGap(from, oldest) : null;
    }

    private async Task ScheduleGapFollowUpAsync(ListeningGap gap)
    {
        var options = syncOptions.CurrentValue;
        LogPossibleGap(UserId, gap.From, gap.To, options.GapFollowUpDelay);
        try
        {
            // A reminder, not a timer: the follow-up must survive this grain's deactivation or its silo's loss.
            await this.RegisterOrUpdateReminder(GapFollowUpReminderName, options.GapFollowUpDelay, options.Interval);
        }
        catch (Exception e)
        {
            LogFollowUpFailed(e, UserId);
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

    /// <summary>After <c>Sync:FailureBackoffAfter</c> failures in a row, scheduled syncs wait twice as long for each further one.</summary>
    private static DateTimeOffset? BackoffUntil(SpotifyUserRecord user, SyncOptions options)
    {
        if (user.ConsecutiveFailures < options.FailureBackoffAfter || user.LastSyncCompletedAt is not { } lastFailure)
        {
            return null;
        }
        var doublings = Math.Min(user.ConsecutiveFailures - options.FailureBackoffAfter + 1, 20);
        var wait = TimeSpan.FromTicks(Math.Min(options.Interval.Ticks * (1L << doublings), options.MaxFailureBackoff.Ticks));
        // Reminder ticks jitter a little: a tick due just at the boundary counts as after it.
        return lastFailure + wait - options.Interval / 10;
    }

    private string ReconnectReason(SpotifyRefreshTokenRejectedException e) =>
        RefreshTokenLifetime.RejectionReason(_user?.AuthorizedAt, time.GetUtcNow(), e.Message);

    private UserSyncStatus ToStatus(SpotifyUserRecord? user)
    {
        if (user is null)
        {
            return new UserSyncStatus { UserId = UserId, State = UserConnectionState.NotConnected };
        }
        var options = syncOptions.CurrentValue;
        return new UserSyncStatus
        {
            UserId = user.UserId,
            State = user.State switch
            {
                SpotifyUserStates.Active => UserConnectionState.Active,
                SpotifyUserStates.NeedsReconnect => UserConnectionState.NeedsReconnect,
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
            NextScheduledSync = user.IsActive && options.Enabled ? NextDue(user.ScheduleAnchor, options.Interval) : null,
            LatestPlayedAt = user.LatestPlayedAt,
            TotalTracks = user.TotalTracks,
            TotalSyncs = user.TotalSyncs,
            ConsecutiveFailures = user.ConsecutiveFailures,
            LastSyncTracks = user.LastSyncTracks,
            BackoffUntil = user.IsActive ? BackoffUntil(user, options) : null,
            GapsDetected = user.GapsDetected,
            LastGapFrom = user.LastGapFrom,
            LastGapTo = user.LastGapTo,
        };
    }

    private DateTimeOffset? NextDue(DateTimeOffset? anchor, TimeSpan interval)
    {
        if (anchor is not { } first)
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (first > now)
        {
            return first;
        }
        var periods = (long)Math.Ceiling((now - first).Ticks / (double)interval.Ticks);
        return first + TimeSpan.FromTicks(interval.Ticks * Math.Max(periods, 1));
    }

    private static SpotifyUserRecord WithoutTokens(SpotifyUserRecord user, string state, string? reason) => user with
    {
        State = state,
        RefreshTokenEncrypted = null,
        AccessTokenEncrypted = null,
        AccessTokenExpiresAt = null,
        ReconnectReason = reason,
        ScheduleAnchor = null,
    };

    private static DateTimeOffset? Latest(DateTimeOffset? current, IReadOnlyList<ListeningRow> rows)
    {
        if (rows.Count == 0)
        {
            return current;
        }
        var newest = rows.Max(r => r.PlayedAt);
        return current is { } c && c > newest ? c : newest;
    }

    private static string Describe(Exception e) => e switch
    {
        SpotifyException => e.Message,
        TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException => "Spotify did not answer in time",
        HttpRequestException h => $"Spotify unreachable ({h.HttpRequestError})",
        Npgsql.NpgsqlException n => $"PostgreSQL error: {n.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: access token refreshed (refresh token rotated: {Rotated}), expires {ExpiresAt}")]
    private partial void LogTokenRefreshed(string userId, bool rotated, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not report the sync outcome to the coordinator")]
    private partial void LogReportFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: could not save the sync state")]
    private partial void LogSaveFailed(Exception e, string userId);
}
