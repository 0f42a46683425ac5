using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Users;

/// <summary>
/// Connect by authorization code: SpotifySync exchanges the code at Spotify itself (a call-budget permit like any Spotify
/// call), then connects the user exactly as a connect with tokens would, so the refresh token never passes through the
/// app. Spotify's refusals come back named (<c>invalid_grant</c>, ...); the caller never waits on Spotify for long: an
/// exchange that outlasts <see cref="CallerWait.Longest"/> still connects the user when Spotify answers.
/// </summary>
public sealed partial class AuthorizationCodeExchange(
    string userId, SpotifyAccountsClient accounts, Func<ISyncCoordinatorGrain> coordinator, IOptionsMonitor<SyncOptions> syncOptions,
    TimeProvider time, ILogger logger)
{
    /// <param name="connect">The grain's connect with tokens.</param>
    public async Task<AuthorizationCodeConnectAnswer> ConnectAsync(AuthorizationCodeGrant grant, Func<SpotifyConnection, Task<UserConnected>> connect)
    {
        if (RetryLaterAdvice.ForPause((await coordinator().GetStatusAsync()).PausedUntil, time.GetUtcNow()) is { } paused)
        {
            return AuthorizationCodeConnectAnswer.TryLater(paused.RetryAfter, paused.Reason);
        }
        var work = ExchangeThenConnectAsync(grant, connect);
        if (!await CallerWait.FinishedWithinAsync(work, CallerWait.Longest, time, e => LogFailedAfterAnswer(userId, SyncErrors.Describe(e))))
        {
            return AuthorizationCodeConnectAnswer.TryLater(RetryLaterAdvice.WhileCallUnderWay,
                "Spotify has not answered the code exchange yet; the user is connected when it does (see sync-status). Do not send the code again");
        }
        try
        {
            return AuthorizationCodeConnectAnswer.Done(await work);
        }
        catch (SpotifyAuthorizationCodeRejectedException e)
        {
            LogRejected(userId, e.Error);
            return AuthorizationCodeConnectAnswer.Rejected(e.Error, e.Description);
        }
        catch (Exception e) when (RetryLaterAdvice.ForFailure(e, syncOptions.CurrentValue) is { } advice)
        {
            await ThrottleReport.SendAsync(e, userId, coordinator, logger);
            LogDeferred(userId, advice.Reason);
            return AuthorizationCodeConnectAnswer.TryLater(advice.RetryAfter, advice.Reason);
        }
    }

    private async Task<UserConnected> ExchangeThenConnectAsync(AuthorizationCodeGrant grant, Func<SpotifyConnection, Task<UserConnected>> connect)
    {
        var tokens = await accounts.ExchangeCodeAsync(grant, CallerWait.Longest, CancellationToken.None);
        return await connect(new SpotifyConnection(tokens.RotatedRefreshToken!, tokens.AccessToken, tokens.ExpiresAt, tokens.Scope));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: Spotify refused the authorization code ({Error})")]
    private partial void LogRejected(string userId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: authorization code not exchanged now: {Reason}")]
    private partial void LogDeferred(string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: the code exchange failed after the app was told to wait: {Error}")]
    private partial void LogFailedAfterAnswer(string userId, string error);
}
