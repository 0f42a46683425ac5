namespace SpotifySync.Grains.Interfaces;

/// <summary>What the app backend hands over when a user connects (or reconnects) Spotify.</summary>
[GenerateSerializer, Immutable]
public sealed record SpotifyConnection(
    [property: Id(0)] string RefreshToken,
    [property: Id(1)] string? AccessToken = null,
    [property: Id(2)] DateTimeOffset? AccessTokenExpiresAt = null,
    [property: Id(3)] string? Scope = null)
{
    // Tokens must never reach a log line, even through a record's generated ToString.
    public override string ToString() => $"SpotifyConnection {{ HasAccessToken = {AccessToken is not null}, Scope = {Scope} }}";
}
