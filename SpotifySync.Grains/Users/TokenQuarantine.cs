using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// A user's side of the <c>invalid_grant</c> storm rule. A refused refresh token is not erased at once: the tokens
/// are kept (quarantined, still encrypted, never used) and the coordinator decides later, because the first users
/// of a storm are refused before anyone can tell it is one. <see cref="QuarantineVerdict.Erase"/>: the refusal was
/// the user's own, erase as Spotify asks. <see cref="QuarantineVerdict.Retry"/>: a storm is over, try one refresh.
/// </summary>
public sealed partial class TokenQuarantine(
    string userId, UserRow row, UserTokens tokens, UserSchedule schedule, Func<ISyncCoordinatorGrain> coordinator, TimeProvider time, ILogger logger)
{
    /// <summary>The change that quarantines the row of a user Spotify just refused.</summary>
    public Func<SpotifyUserRecord, SpotifyUserRecord> Quarantine(string reason) =>
        user => UserRecordChanges.Quarantined(user, reason, time.GetUtcNow());

    /// <summary>Tells the coordinator about the refusal (after the row is quarantined); it answers with a verdict.</summary>
    public async Task ReportRefusedAsync()
    {
        LogQuarantined(userId);
        await coordinator().RefreshRefusedAsync(userId);
    }

    /// <param name="stillConnected">Throws when a connect or disconnect replaced the tokens meanwhile.</param>
    /// <param name="erased">Called once the tokens are erased: no call may use them again.</param>
    public async Task ResolveAsync(QuarantineVerdict verdict, Action stillConnected, Action erased)
    {
        if (row.Current is not { IsQuarantined: true })
        {
            // Reconnected, disconnected or already resolved: nothing is held for this user any more.
            await coordinator().QuarantineLiftedAsync(userId);
            return;
        }
        if (verdict == QuarantineVerdict.Erase)
        {
            await EraseAsync(erased);
            return;
        }
        await RetryAsync(stillConnected);
    }

    private async Task EraseAsync(Action erased)
    {
        erased();
        var now = time.GetUtcNow();
        // Spotify asks apps to discard a refused refresh token: gone in memory first, the table follows when it can.
        await row.TryChangeAsync(user => UserRecordChanges.WithoutTokens(user, SpotifyUserStates.NeedsReconnect, user.ReconnectReason) with
        {
            LastSyncOutcome = SyncOutcomeKind.NeedsReconnect.ToWireName(),
            LastSyncError = user.ReconnectReason,
            LastSyncCompletedAt = now,
        }, CancellationToken.None);
        await schedule.RemoveQuietlyAsync();
        LogErased(userId, row.Current?.ReconnectReason ?? "refresh token refused");
    }

    private async Task RetryAsync(Action stillConnected)
    {
        try
        {
            await tokens.RefreshAsync(stillConnected, CancellationToken.None);
        }
        catch (SpotifyRefreshTokenRejectedException e)
        {
            var reason = RefreshTokenLifetime.RejectionReason(row.Current?.AuthorizedAt, time.GetUtcNow(), e.Message);
            await row.TryChangeAsync(Quarantine(reason), CancellationToken.None);
            await ReportRefusedAsync();
            return;
        }
        catch (RefreshDeferredException)
        {
            // A storm again: the coordinator puts the user back in the retry line.
            await coordinator().RefreshRefusedAsync(userId);
            return;
        }
        catch (ConnectionReplacedException)
        {
            await coordinator().QuarantineLiftedAsync(userId);
            return;
        }
        catch (Exception e)
        {
            // Not a refusal (Spotify unreachable, PostgreSQL away): the token is not known to be bad, so the user goes
            // back to normal syncing, whose next refresh decides again.
            LogRetryFailed(e, userId);
        }
        await row.TryChangeAsync(UserRecordChanges.Restored, CancellationToken.None);
        LogRestored(userId);
        await coordinator().QuarantineLiftedAsync(userId);
        await coordinator().EnqueueAsync(userId, SyncTrigger.Scheduled);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: Spotify refused the refresh token; tokens quarantined until the invalid_grant storm window decides")]
    private partial void LogQuarantined(string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: {Error} (no invalid_grant storm followed; tokens erased)")]
    private partial void LogErased(string userId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: refresh works again after the invalid_grant storm; tokens restored")]
    private partial void LogRestored(string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: the refresh retried after the invalid_grant storm failed for another reason; the user is active again and its next sync decides")]
    private partial void LogRetryFailed(Exception e, string userId);
}
