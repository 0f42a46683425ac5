namespace SpotifySync.Grains.Interfaces;

/// <summary>A user whose Spotify refresh token (six months after authorisation) expires soon.</summary>
[GenerateSerializer, Immutable]
public sealed record ExpiringUser(
    [property: Id(0)] string UserId,
    [property: Id(1)] DateTimeOffset RefreshTokenExpiresAt);
