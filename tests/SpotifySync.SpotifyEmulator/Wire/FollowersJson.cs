namespace SpotifySync.SpotifyEmulator;

internal sealed record FollowersJson(string? Href, int Total);
