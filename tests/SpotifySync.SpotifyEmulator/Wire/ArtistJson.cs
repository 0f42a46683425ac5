namespace SpotifySync.SpotifyEmulator;

/// <summary>Spotify's simplified artist object; id, href and uri are null for a local file's artist.</summary>
internal sealed record ArtistJson(ExternalUrlsJson ExternalUrls, string? Href, string? Id, string Name, string Type, string? Uri);
