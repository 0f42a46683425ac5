namespace SpotifySync.SpotifyEmulator;

/// <summary>Turns an emulated play into the item Spotify would send, including the nulls of local files.</summary>
internal static class PlayHistoryMapper
{
    private static readonly ExternalUrlsJson NoExternalUrls = new(null);

    public static PlayHistoryJson ToJson(EmulatorPlay play) =>
        new(ToJson(play.Track), SpotifyTimestamp.Format(play.PlayedAt), play.Context is null ? null : ToJson(play.Context));

    private static TrackJson ToJson(FakeTrack track) =>
        new(
            Album: ToJson(track.Album),
            Artists: [.. track.Artists.Select(ToJson)],
            DiscNumber: track.IsLocal ? 0 : 1,
            DurationMs: track.DurationMs,
            Explicit: track.Explicit,
            ExternalUrls: Page("track", track.Id),
            Href: Href("tracks", track.Id),
            Id: track.Id,
            IsLocal: track.IsLocal,
            Name: track.Name,
            Popularity: track.Popularity,
            PreviewUrl: null,
            TrackNumber: track.TrackNumber,
            Type: "track",
            Uri: track.Uri);

    private static AlbumJson ToJson(FakeAlbum album) =>
        new(
            AlbumType: album.Id is null ? null : "album",
            Artists: album.Artist is null ? [] : [ToJson(album.Artist)],
            ExternalUrls: Page("album", album.Id),
            Href: Href("albums", album.Id),
            Id: album.Id,
            Images: [],
            Name: album.Name,
            ReleaseDate: album.ReleaseDate,
            ReleaseDatePrecision: album.ReleaseDate is null ? null : "day",
            TotalTracks: album.TotalTracks,
            Type: "album",
            Uri: album.Uri);

    private static ArtistJson ToJson(FakeArtist artist) =>
        new(Page("artist", artist.Id), Href("artists", artist.Id), artist.Id, artist.Name, "artist", artist.Uri);

    private static ContextJson ToJson(PlayContext context) =>
        new(context.Type, context.Href, new ExternalUrlsJson(context.ExternalUrl), context.Uri);

    private static ExternalUrlsJson Page(string kind, string? id) =>
        id is null ? NoExternalUrls : new ExternalUrlsJson($"https://open.spotify.com/{kind}/{id}");

    private static string? Href(string collection, string? id) =>
        id is null ? null : $"https://api.spotify.com/v1/{collection}/{id}";
}
