using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// One user's sync, once the coordinator granted its start: the recently played page fetched with a usable access
/// token, its plays and the outcome written to the user's row, and the outcome reported to the coordinator.
/// <para>
/// The grain runs it under its sync gate (one sync at a time, so two refreshes of one user never race). The grain is
/// reentrant, so a connect, a disconnect or an erase can start a new connection while the sync waits on Spotify:
/// <paramref name="connection"/> reads the grain's current connection, and a run that started under an older one
/// stops at its next step and writes nothing. <paramref name="replaceConnection"/> starts a new one when Spotify
/// refuses the refresh token, so that no call uses the quarantined tokens again.
/// </para>
/// </summary>
public sealed partial class RecentlyPlayedSync(
    string userId,
    UserRow row,
    UserTokens tokens,
    SpotifyWebApiClient webApi,
    UserSchedule schedule,
    TokenQuarantine quarantine,
    Func<ISyncCoordinatorGrain> coordinator,
    Func<long> connection,
    Action replaceConnection,
    TimeProvider time,
    SyncMetrics metrics,
    ILogger logger)
{
    /// <summary>Runs the sync (skipped when the user is not active), counts it, and reports its outcome.</summary>
    public async Task RunAsync(SyncTrigger trigger, Guid syncId)
    {
        var run = new SyncRun(trigger, syncId, time.GetUtcNow(), connection());
        var outcome = row.Current is { IsActive: true }
            ? await SyncAsync(run)
            : new SyncOutcome(userId, SyncOutcomeKind.Skipped, 0, "user is not active", null, TimeSpan.Zero);
        metrics.SyncFinished(outcome);
        await ReportAsync(outcome);
    }

    private async Task<SyncOutcome> SyncAsync(SyncRun run)
    {
        try
        {
            var stillConnected = () => EnsureStillConnected(run);
            var accessToken = await tokens.UsableAccessTokenAsync(stillConnected, CancellationToken.None);
            IReadOnlyList<ListeningRow> rows;
            try
            {
                rows = await webApi.GetRecentlyPlayedAsync(userId, accessToken, CancellationToken.None);
            }
            catch (SpotifyAccessTokenRejectedException)
            {
                // A token can die before its announced expiry (revoked, rotated): refresh once and retry once.
                accessToken = await tokens.RefreshAsync(stillConnected, CancellationToken.None);
                rows = await webApi.GetRecentlyPlayedAsync(userId, accessToken, CancellationToken.None);
            }
            EnsureStillConnected(run);
            return await CommitAsync(run, rows);
        }
        catch (SpotifyRefreshTokenRejectedException e) when (run.Connection == connection())
        {
            // Spotify asks apps to discard a refused refresh token and never retry it, but a storm of refusals is
            // Spotify's incident: the tokens are quarantined (kept, never used) until the coordinator's verdict
            // (TokenQuarantine). Quarantined in memory first, so no call uses them even while PostgreSQL is away.
            replaceConnection();
            var reason = RefreshTokenLifetime.RejectionReason(row.Current?.AuthorizedAt, time.GetUtcNow(), e.Message);
            var outcome = await UnsuccessfulAsync(run, SyncOutcomeKind.TokensQuarantined, reason, quarantine.Quarantine(reason));
            await quarantine.ReportRefusedAsync();
            return outcome;
        }
        catch (RefreshDeferredException e)
        {
            // Not the user's failure: the coordinator holds dispatch for the storm and puts the user back in front.
            return await UnsuccessfulAsync(run, SyncOutcomeKind.RefreshDeferred, e.Message);
        }
        catch (Exception e) when (e is ConnectionReplacedException || run.Connection != connection())
        {
            // Connected again or disconnected meanwhile: this run's tokens and results belong to the old connection.
            LogSuperseded(userId);
            return new SyncOutcome(userId, SyncOutcomeKind.Skipped, 0, "the connection changed during the sync", null, Elapsed(run));
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
        var user = row.Current!;
        var gap = ListeningGaps.PossibleGap(user.LatestPlayedAt, rows);
        var completedAt = time.GetUtcNow();
        var warning = WarnIfRefreshTokenExpiresSoon(user, completedAt);
        var saved = await row.CommitAsync(u => UserRecordChanges.WithOutcome(u, SyncOutcomeKind.Succeeded, null, run.Trigger, run.SyncId, run.StartedAt, completedAt, schedule.Interval) with
        {
            LatestPlayedAt = ListeningGaps.Cursor(u.LatestPlayedAt, rows),
            GapsDetected = u.GapsDetected + (gap is null ? 0 : 1),
            LastGapFrom = gap?.From ?? u.LastGapFrom,
            LastGapTo = gap?.To ?? u.LastGapTo,
            ExpiryWarningDays = warning,
            TotalSyncs = u.TotalSyncs + 1,
        }, rows, completedAt, gap, CancellationToken.None);
        LogSynced(userId, saved.LastSyncTracks);
        if (gap is not null)
        {
            await schedule.ScheduleGapFollowUpAsync(gap);
        }
        return new SyncOutcome(userId, SyncOutcomeKind.Succeeded, saved.LastSyncTracks, null, null, Elapsed(run));
    }

    /// <summary>Records a sync that wrote no plays (in memory at once, in the table when PostgreSQL answers) and logs it.</summary>
    private async Task<SyncOutcome> UnsuccessfulAsync(
        SyncRun run, SyncOutcomeKind kind, string error, Func<SpotifyUserRecord, SpotifyUserRecord>? also = null, TimeSpan? retryAfter = null)
    {
        var completedAt = time.GetUtcNow();
        await row.TryChangeAsync(user => UserRecordChanges.WithOutcome(
            also is null ? user : also(user), kind, error, run.Trigger, run.SyncId, run.StartedAt, completedAt, schedule.Interval), CancellationToken.None);
        LogSyncError(userId, error);
        return new SyncOutcome(userId, kind, 0, error, retryAfter, completedAt - run.StartedAt);
    }

    private void EnsureStillConnected(SyncRun run)
    {
        if (run.Connection != connection())
        {
            throw new ConnectionReplacedException();
        }
    }

    private async Task ReportAsync(SyncOutcome outcome)
    {
        try
        {
            await coordinator().ReportAsync(outcome);
        }
        catch (Exception e)
        {
            // The coordinator forgets unreported syncs after a timeout; nothing of the user's data depends on this.
            LogReportFailed(e, userId);
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
        LogRefreshTokenExpiring(userId, expiresAt, Math.Max(0, (int)Math.Floor((expiresAt - now).TotalDays)));
        return due;
    }

    private TimeSpan Elapsed(SyncRun run) => time.GetUtcNow() - run.StartedAt;

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: synced {Tracks} tracks")]
    private partial void LogSynced(string userId, int tracks);

    // Same event as the grain's own LogSyncError (the token broker's refusal): one name, so one event id.
    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: {Error}")]
    private partial void LogSyncError(string userId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: Spotify refresh token expires on {ExpiresAt} (in {DaysLeft} days): ask the user to reconnect")]
    private partial void LogRefreshTokenExpiring(string userId, DateTimeOffset expiresAt, int daysLeft);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: the connection changed during the sync; its results were dropped (a new sync is queued by the connect)")]
    private partial void LogSuperseded(string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not report the sync outcome to the coordinator")]
    private partial void LogReportFailed(Exception e, string userId);
}
