namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// Every refresh and access token ever issued. One lock makes "check the refresh token, rotate it" atomic,
/// so two silos racing with the same rotated-away token see exactly one success.
/// Tokens are never forgotten: an old token still names its user in the request log.
/// </summary>
internal sealed class TokenStore(TimeProvider timeProvider, TimeSpan accessTokenLifetime)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, RefreshTokenRecord> refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessTokenRecord> accessTokens = new(StringComparer.Ordinal);

    public void AddRefreshToken(EmulatorUser user, string refreshToken)
    {
        lock (gate)
        {
            if (!refreshTokens.TryAdd(refreshToken, new RefreshTokenRecord(user) { IsValid = true }))
            {
                throw new InvalidOperationException($"Refresh token '{refreshToken}' is already in use.");
            }
        }
    }

    /// <summary>The user re-authorises: a new refresh token, the old one stops working.</summary>
    public string Reauthorize(EmulatorUser user)
    {
        lock (gate)
        {
            InvalidateCurrentRefreshToken(user);
            var refreshToken = TokenFactory.NewRefreshToken();
            refreshTokens.Add(refreshToken, new RefreshTokenRecord(user) { IsValid = true });
            user.RefreshToken = refreshToken;
            return refreshToken;
        }
    }

    /// <summary>
    /// The user signed in through the authorization-code grant: a new refresh token (the old one stops working, as on
    /// <see cref="Reauthorize"/>) and an access token.
    /// </summary>
    public (IssuedTokens Tokens, string RefreshToken) Authorize(EmulatorUser user)
    {
        lock (gate)
        {
            InvalidateCurrentRefreshToken(user);
            var refreshToken = TokenFactory.NewRefreshToken();
            refreshTokens.Add(refreshToken, new RefreshTokenRecord(user) { IsValid = true });
            user.RefreshToken = refreshToken;
            var accessToken = TokenFactory.NewAccessToken();
            accessTokens.Add(accessToken, new AccessTokenRecord(user.UserId, timeProvider.GetUtcNow() + accessTokenLifetime));
            return (new IssuedTokens(accessToken, accessTokenLifetime, refreshToken), refreshToken);
        }
    }

    /// <summary>Null when the refresh token is unknown, revoked or rotated away (Spotify's invalid_grant).</summary>
    public IssuedTokens? Refresh(string refreshToken)
    {
        lock (gate)
        {
            if (!refreshTokens.TryGetValue(refreshToken, out var record) || !record.IsValid)
            {
                return null;
            }

            var user = record.User;
            var accessToken = TokenFactory.NewAccessToken();
            accessTokens.Add(accessToken, new AccessTokenRecord(user.UserId, timeProvider.GetUtcNow() + accessTokenLifetime));

            string? rotated = null;
            if (user.RotateRefreshTokens)
            {
                record.IsValid = false;
                rotated = TokenFactory.NewRefreshToken();
                refreshTokens.Add(rotated, new RefreshTokenRecord(user) { IsValid = true });
                user.RefreshToken = rotated;
            }

            return new IssuedTokens(accessToken, accessTokenLifetime, rotated);
        }
    }

    public void Revoke(EmulatorUser user)
    {
        lock (gate)
        {
            InvalidateCurrentRefreshToken(user);
        }
    }

    public void ExpireAccessTokens(string userId)
    {
        lock (gate)
        {
            foreach (var record in accessTokens.Values.Where(record => record.UserId == userId))
            {
                record.ForcedExpired = true;
            }
        }
    }

    public AccessTokenCheck CheckAccessToken(string accessToken)
    {
        lock (gate)
        {
            if (!accessTokens.TryGetValue(accessToken, out var record))
            {
                return new AccessTokenCheck(AccessTokenStatus.Unknown, null);
            }

            var expired = record.ForcedExpired || timeProvider.GetUtcNow() >= record.ExpiresAt;
            return new AccessTokenCheck(expired ? AccessTokenStatus.Expired : AccessTokenStatus.Valid, record.UserId);
        }
    }

    public string? OwnerOfRefreshToken(string refreshToken)
    {
        lock (gate)
        {
            return refreshTokens.TryGetValue(refreshToken, out var record) ? record.User.UserId : null;
        }
    }

    private void InvalidateCurrentRefreshToken(EmulatorUser user)
    {
        if (refreshTokens.TryGetValue(user.RefreshToken, out var current))
        {
            current.IsValid = false;
        }
    }

    private sealed class RefreshTokenRecord(EmulatorUser user)
    {
        public EmulatorUser User { get; } = user;

        public bool IsValid { get; set; }
    }

    private sealed class AccessTokenRecord(string userId, DateTimeOffset expiresAt)
    {
        public string UserId { get; } = userId;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool ForcedExpired { get; set; }
    }
}
