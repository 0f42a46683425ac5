namespace SpotifySync.Api;

/// <summary>Body of <c>GET /api/users/{userId}/spotify/access-token</c>: a token with at least five minutes left.</summary>
public sealed record AccessTokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string? Scope)
{
    public override string ToString() => $"AccessTokenResponse {{ ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}";
}
