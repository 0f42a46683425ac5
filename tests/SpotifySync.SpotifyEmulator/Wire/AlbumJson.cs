namespace SpotifySync.SpotifyEmulator;

/// <summary>Spotify's simplified album object; mostly null for a local file's album.</summary>
internal sealed record AlbumJson(
    string? AlbumType,
    IReadOnlyList<ArtistJson> Artists,
    ExternalUrlsJson ExternalUrls,
    string? Href,
    string? Id,
    IReadOnlyList<ImageJson> Images,
    string Name,
    string? ReleaseDate,
    string? ReleaseDatePrecision,
    int TotalTracks,
    string Type,
    string? Uri);
