using System.Net;

namespace SpotifySync.SpotifyEmulator;

/// <summary>The fixed music world every fake user listens to: ~40 tracks, a few local files and playlists.
/// Built once from seeds, so ids and names are identical in every process.</summary>
internal static class FakeTrackCatalog
{
    private static readonly string[] ArtistNames =
    [
        "The Quiet Hours", "Mara Lind", "Northbound Static", "Juno Vale", "Elias Brandt", "Paper Lanterns",
        "Ola Strand", "Kite Collective", "Nina Okafor", "Velvet Tide", "Sol & Fenna", "Hugo Marsh",
        "Glass Orchard", "Tove Ek", "Radio Meridian", "Inés Kahale",
    ];

    private static readonly string[] Adjectives =
    [
        "Midnight", "Golden", "Electric", "Silent", "Velvet", "Neon", "Paper", "Broken",
        "Crimson", "Hollow", "Wild", "Northern", "Liquid", "Lonely", "Burning", "Silver",
    ];

    private static readonly string[] Nouns =
    [
        "Harbor", "Echo", "Parade", "Signal", "Garden", "Highway", "Orbit", "Lantern",
        "River", "Static", "Mirror", "Summer", "Cathedral", "Satellite", "Tide", "Avenue",
    ];

    public const int TrackCount = 40;
    private const int AlbumCount = 20;

    public static IReadOnlyList<FakeArtist> Artists { get; } = CreateArtists();

    public static IReadOnlyList<FakeAlbum> Albums { get; } = CreateAlbums();

    public static IReadOnlyList<FakeTrack> Tracks { get; } = CreateTracks();

    public static IReadOnlyList<FakeTrack> LocalFiles { get; } = CreateLocalFiles();

    public static IReadOnlyList<PlayContext> Playlists { get; } =
        [.. Enumerable.Range(1, 6).Select(i => new PlayContext("playlist", SpotifyId.From($"playlist-{i}")))];

    private static FakeArtist[] CreateArtists() =>
        [.. ArtistNames.Select(name => new FakeArtist(SpotifyId.From($"artist-{name}"), name))];

    private static FakeAlbum[] CreateAlbums() =>
        [.. Enumerable.Range(0, AlbumCount).Select(i =>
        {
            var hash = StableHash.Of("album", i);
            var name = $"{Adjectives[StableHash.Pick(hash, Adjectives.Length)]} {Nouns[StableHash.Pick(hash >> 8, Nouns.Length)]}s";
            var year = 2005 + StableHash.Pick(hash >> 16, 21);
            return new FakeAlbum(SpotifyId.From($"album-{i}"), name, Artists[i % Artists.Count], $"{year}-0{1 + (i % 9)}-1{i % 10}", 8 + StableHash.Pick(hash >> 24, 9));
        })];

    private static FakeTrack[] CreateTracks() =>
        [.. Enumerable.Range(0, TrackCount).Select(i =>
        {
            var hash = StableHash.Of("track", i);
            var album = Albums[i % AlbumCount];
            var artists = new List<FakeArtist> { album.Artist! };
            var extraArtists = StableHash.Pick(hash, 3);
            for (var n = 1; artists.Count < 1 + extraArtists && n < 8; n++)
            {
                var candidate = Artists[StableHash.Pick(StableHash.Mix(hash + (ulong)n), Artists.Count)];
                if (!artists.Contains(candidate))
                {
                    artists.Add(candidate);
                }
            }

            var id = SpotifyId.From($"track-{i}");
            var name = $"{Adjectives[StableHash.Pick(hash >> 8, Adjectives.Length)]} {Nouns[StableHash.Pick(hash >> 16, Nouns.Length)]}";
            return new FakeTrack(
                id,
                name,
                artists,
                album,
                DurationMs: 150_000 + StableHash.Pick(hash >> 24, 150_000),
                Explicit: StableHash.Pick(hash >> 40, 4) == 0,
                Popularity: StableHash.Pick(hash >> 44, 100),
                TrackNumber: 1 + StableHash.Pick(hash >> 52, album.TotalTracks),
                IsLocal: false,
                Uri: $"spotify:track:{id}");
        })];

    private static FakeTrack[] CreateLocalFiles() =>
    [
        LocalFile("Garage Band Tapes", "Basement Sessions", "Song For Nobody", 245),
        LocalFile("DJ Kitchen Sink", "Bootleg Mixes Vol 2", "Untitled (Live)", 312),
        LocalFile("Mara Lind", "Demos", "Harbor Lights (demo)", 198),
        LocalFile("Unknown Artist", "Unknown Album", "Track 07", 187),
        LocalFile("Las Cintas", "Grabaciones Caseras", "Canción de Invierno", 221),
    ];

    // Spotify builds local URIs from the file's tags, URL-encoded with '+' for spaces, and the length in seconds.
    private static FakeTrack LocalFile(string artist, string album, string title, int seconds)
    {
        var uri = $"spotify:local:{WebUtility.UrlEncode(artist)}:{WebUtility.UrlEncode(album)}:{WebUtility.UrlEncode(title)}:{seconds}";
        var localArtist = new FakeArtist(null, artist);
        return new FakeTrack(
            Id: null,
            Name: title,
            Artists: [localArtist],
            Album: new FakeAlbum(null, album, null, null, 0),
            DurationMs: seconds * 1000,
            Explicit: false,
            Popularity: 0,
            TrackNumber: 0,
            IsLocal: true,
            Uri: uri);
    }
}
