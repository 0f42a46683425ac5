namespace SpotifySync.SpotifyEmulator;

/// <summary>One request that reached a Spotify endpoint, with the answer it got.</summary>
/// <param name="UserId">From the bearer token, or from the refresh token or authorization code on <c>/api/token</c>; null when unknown.</param>
/// <param name="RefreshTokenUsed">The refresh token sent to <c>/api/token</c>, null elsewhere.</param>
public sealed record EmulatorRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string QueryString,
    string? UserId,
    int StatusCode,
    string? RefreshTokenUsed)
{
    /// <summary>The address the request came from (IPv4 where it is one): which silo sent it, in a cluster of containers.</summary>
    public string? ClientAddress { get; init; }
}
