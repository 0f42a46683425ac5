namespace SpotifySync.SpotifyEmulator;

/// <summary>Where a play was started from (Spotify's <c>context</c>); only playlists are emulated.</summary>
internal sealed record PlayContext(string Type, string Id)
{
    public string Uri => $"spotify:{Type}:{Id}";

    public string Href => $"https://api.spotify.com/v1/{Type}s/{Id}";

    public string ExternalUrl => $"https://open.spotify.com/{Type}/{Id}";
}
