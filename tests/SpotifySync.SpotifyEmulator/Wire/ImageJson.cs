namespace SpotifySync.SpotifyEmulator;

internal sealed record ImageJson(string Url, int? Height, int? Width);
