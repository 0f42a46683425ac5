namespace SpotifySync.SpotifyEmulator;

/// <summary>Spotify's full track object.</summary>
internal sealed record TrackJson(
    AlbumJson Album,
    IReadOnlyList<ArtistJson> Artists,
    int DiscNumber,
    int DurationMs,
    bool Explicit,
    ExternalUrlsJson ExternalUrls,
    string? Href,
    string? Id,
    bool IsLocal,
    string Name,
    int Popularity,
    string? PreviewUrl,
    int TrackNumber,
    string Type,
    string Uri);
