using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Users;

/// <summary>
/// The token broker: SpotifySync holds the only refresh token, so the app asks here for an access token. A usable
/// stored one (<see cref="AccessTokenFreshness"/>) is handed out as it is; otherwise the user's one refresh
/// (<see cref="UserTokens"/>: never beside a sync's refresh, a rotated refresh token stored first), with a call-budget
/// permit like any Spotify call. The caller never waits on Spotify for long: while the cluster is paused, when no
/// permit is due soon, or when the refresh outlasts <see cref="CallerWait.Longest"/>, the answer is "try later".
/// </summary>
/// <remarks>
/// Left to the grain: <see cref="SpotifyRefreshTokenRejectedException"/> (the user must reconnect), a connection
/// replaced meanwhile, and <see cref="StorageUnavailableException"/> (the API answers 503).
/// </remarks>
public sealed partial class AccessTokenBroker(
    string userId, UserTokens tokens, Func<ISyncCoordinatorGrain> coordinator, IOptionsMonitor<SyncOptions> syncOptions, TimeProvider time, ILogger logger)
{
    public async Task<AccessTokenAnswer> AccessTokenAsync(Action stillConnected)
    {
        if (tokens.Usable() is { } stored)
        {
            return Issued(stored);
        }
        // Refreshes are rare (about one per user and hour), so asking the coordinator each time costs little.
        if (RetryLaterAdvice.ForPause((await coordinator().GetStatusAsync()).PausedUntil, time.GetUtcNow()) is { } paused)
        {
            return TryLater(paused);
        }
        var refresh = tokens.UsableOrRefreshedAsync(stillConnected, CallerWait.Longest);
        if (!await CallerWait.FinishedWithinAsync(refresh, CallerWait.Longest, time, FailedAfterAnswer))
        {
            return TryLater(new RetryLaterAdvice(RetryLaterAdvice.WhileCallUnderWay,
                "the refresh of this user's access token is still under way at Spotify; its result is stored when it arrives"));
        }
        try
        {
            return await refresh is { } token
                ? Issued(token)
                : TryLater(new RetryLaterAdvice(RetryLaterAdvice.WhileCallUnderWay, "another refresh of this user's access token is under way"));
        }
        catch (Exception e) when (RetryLaterAdvice.ForFailure(e, syncOptions.CurrentValue) is { } advice)
        {
            await ThrottleReport.SendAsync(e, userId, coordinator, logger);
            LogRefreshDeferred(userId, advice.Reason);
            return TryLater(advice);
        }
    }

    private static AccessTokenAnswer Issued(StoredAccessToken token) => AccessTokenAnswer.Issued(token.AccessToken, token.ExpiresAt, token.Scope);

    private static AccessTokenAnswer TryLater(RetryLaterAdvice advice) => AccessTokenAnswer.TryLater(advice.RetryAfter, advice.Reason);

    /// <summary>The caller was answered already; the refresh ended badly afterwards.</summary>
    private void FailedAfterAnswer(Exception e)
    {
        LogRefreshFailedAfterAnswer(userId, SyncErrors.Describe(e));
        _ = ThrottleReport.SendAsync(e, userId, coordinator, logger);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: access token for the app not refreshed now: {Reason}")]
    private partial void LogRefreshDeferred(string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: the app's access-token refresh failed after the app was told to try later: {Error}")]
    private partial void LogRefreshFailedAfterAnswer(string userId, string error);
}
