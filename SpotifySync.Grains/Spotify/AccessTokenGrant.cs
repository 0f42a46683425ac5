namespace SpotifySync.Grains.Spotify;

/// <summary>A refreshed access token; <see cref="RotatedRefreshToken"/> is null when Spotify kept the old refresh token.</summary>
public sealed record AccessTokenGrant(string AccessToken, DateTimeOffset ExpiresAt, string? RotatedRefreshToken, string? Scope)
{
    public override string ToString() => $"AccessTokenGrant {{ ExpiresAt = {ExpiresAt:O}, Rotated = {RotatedRefreshToken is not null} }}";
}
