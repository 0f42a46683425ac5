using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Users;

/// <summary>
/// A user's access token: the stored one while it is usable (<see cref="AccessTokenFreshness"/>), otherwise a refresh at
/// Spotify whose result (a rotated refresh token included) is stored before it is used.
/// <para>
/// One refresh at a time per user, whoever asks (a sync, the token broker): Spotify may rotate the refresh token on
/// every refresh, and two refreshes racing with the same token would leave one of them with a dead token. A refresh
/// waiting at the gate first looks again: the one before it may already have stored a usable token.
/// </para>
/// </summary>
/// <param name="mayRefresh">Asked before every refresh (the coordinator's <c>invalid_grant</c> storm detector); false: not sent.</param>
public sealed partial class UserTokens(
    string userId, UserRow row, SpotifyAccountsClient accounts, TokenProtector tokens, Func<Task<bool>> mayRefresh, TimeProvider time,
    SyncMetrics metrics, ILogger logger)
{
    private readonly SemaphoreSlim _refreshGate = new(1, 1);

    /// <summary>The stored access token, decrypted, when it is usable now; otherwise null.</summary>
    public StoredAccessToken? Usable()
    {
        var user = row.Current;
        return user?.AccessTokenEncrypted is { } stored && AccessTokenFreshness.IsUsable(user.AccessTokenExpiresAt, time.GetUtcNow())
            ? new StoredAccessToken(tokens.Unprotect(stored, userId), user.AccessTokenExpiresAt!.Value, user.Scope)
            : null;
    }

    /// <param name="stillConnected">Checked after Spotify answers: a grant for a connection the app replaced must not be stored.</param>
    public async Task<string> UsableAccessTokenAsync(Action stillConnected, CancellationToken cancellationToken)
    {
        if (Usable() is { } stored)
        {
            return stored.AccessToken;
        }
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            return Usable()?.AccessToken ?? await RefreshInsideGateAsync(stillConnected, permitWait: null, cancellationToken);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>A refresh whatever the stored token says (Spotify refused it with a 401).</summary>
    /// <exception cref="RefreshDeferredException">An <c>invalid_grant</c> storm is on: nothing was sent.</exception>
    public async Task<string> RefreshAsync(Action stillConnected, CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            return await RefreshInsideGateAsync(stillConnected, permitWait: null, cancellationToken);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>
    /// For the token broker: a usable token, refreshed if needed, waiting at most <paramref name="maxWait"/> for another
    /// refresh of this user to end and for a budget permit. Null when the other refresh is still under way;
    /// <see cref="Budget.NoCallPermitSoonException"/> when no permit is due in time (nothing was sent).
    /// </summary>
    public async Task<StoredAccessToken?> UsableOrRefreshedAsync(Action stillConnected, TimeSpan maxWait)
    {
        var startedAt = time.GetUtcNow();
        if (!await _refreshGate.WaitAsync(maxWait))
        {
            return null;
        }
        try
        {
            if (Usable() is { } stored)
            {
                return stored;
            }
            var left = maxWait - (time.GetUtcNow() - startedAt);
            await RefreshInsideGateAsync(stillConnected, left > TimeSpan.Zero ? left : TimeSpan.Zero, CancellationToken.None);
            var user = row.Current!;
            return new StoredAccessToken(tokens.Unprotect(user.AccessTokenEncrypted!, userId), user.AccessTokenExpiresAt!.Value, user.Scope);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private async Task<string> RefreshInsideGateAsync(Action stillConnected, TimeSpan? permitWait, CancellationToken cancellationToken)
    {
        stillConnected();
        if (!await mayRefresh())
        {
            throw new RefreshDeferredException();
        }
        var grant = await accounts.RefreshAsync(tokens.Unprotect(row.Current!.RefreshTokenEncrypted!, userId), permitWait, cancellationToken);
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
