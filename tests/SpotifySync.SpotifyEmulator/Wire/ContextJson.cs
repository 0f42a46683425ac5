namespace SpotifySync.SpotifyEmulator;

internal sealed record ContextJson(string Type, string Href, ExternalUrlsJson ExternalUrls, string Uri);
