namespace SpotifySync.SpotifyEmulator;

/// <summary>Unix milliseconds as strings, as Spotify sends them.</summary>
internal sealed record CursorsJson(string After, string Before);
