namespace SpotifySync.SpotifyEmulator;

/// <summary>Answer of <c>GET /v1/me</c> with the user-read-email scope.</summary>
internal sealed record UserProfileJson(
    string Country,
    string DisplayName,
    string Email,
    ExternalUrlsJson ExternalUrls,
    FollowersJson Followers,
    string Href,
    string Id,
    IReadOnlyList<ImageJson> Images,
    string Product,
    string Type,
    string Uri);
