using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Users;

/// <summary>
/// A user's access token: the stored one while it has more than <see cref="RefreshMargin"/> left, otherwise a
/// refresh at Spotify whose result (a rotated refresh token included) is stored before it is used.
/// </summary>
/// <param name="mayRefresh">Asked before every refresh (the coordinator's <c>invalid_grant</c> storm detector); false: not sent.</param>
public sealed partial class UserTokens(
    string userId, UserRow row, SpotifyAccountsClient accounts, TokenProtector tokens, Func<Task<bool>> mayRefresh, TimeProvider time,
    SyncMetrics metrics, ILogger logger)
{
    /// <summary>Refresh ahead of expiry so a token never dies between the check and the call.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <param name="stillConnected">Checked after Spotify answers: a grant for a connection the app replaced must not be stored.</param>
    public async Task<string> UsableAccessTokenAsync(Action stillConnected, CancellationToken cancellationToken)
    {
        var user = row.Current!;
        if (user.AccessTokenEncrypted is { } stored && user.AccessTokenExpiresAt is { } expiresAt
            && expiresAt - time.GetUtcNow() > RefreshMargin)
        {
            return tokens.Unprotect(stored, userId);
        }
        return await RefreshAsync(stillConnected, cancellationToken);
    }

    /// <exception cref="RefreshDeferredException">An <c>invalid_grant</c> storm is on: nothing was sent.</exception>
    public async Task<string> RefreshAsync(Action stillConnected, CancellationToken cancellationToken)
    {
        if (!await mayRefresh())
        {
            throw new RefreshDeferredException();
        }
        var grant = await accounts.RefreshAsync(tokens.Unprotect(row.Current!.RefreshTokenEncrypted!, userId), cancellationToken);
        stillConnected();
        metrics.TokenRefreshed(grant.RotatedRefreshToken is null ? "kept" : "rotated");
        LogTokenRefreshed(userId, grant.RotatedRefreshToken is not null, grant.ExpiresAt);
        var access = tokens.Protect(grant.AccessToken, userId);
        var rotated = grant.RotatedRefreshToken is { } r ? tokens.Protect(r, userId) : null;
        // Stored before the new access token is used for anything: if Spotify rotated the refresh token, the old
        // one may already be dead. Kept in memory if PostgreSQL is away (the grain's retry saves it); the caller
        // stops there, as nothing it would write could be stored either.
        if (!await row.TryChangeAsync(user => UserRecordChanges.WithGrant(user, access, rotated, grant), cancellationToken))
        {
            throw new StorageUnavailableException("PostgreSQL unavailable: the refreshed tokens are kept in memory and saved when it answers");
        }
        return grant.AccessToken;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: access token refreshed (refresh token rotated: {Rotated}), expires {ExpiresAt}")]
    private partial void LogTokenRefreshed(string userId, bool rotated, DateTimeOffset expiresAt);
}
