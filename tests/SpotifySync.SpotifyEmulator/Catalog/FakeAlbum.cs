namespace SpotifySync.SpotifyEmulator;

/// <param name="Id">Null for the album of a local file.</param>
internal sealed record FakeAlbum(string? Id, string Name, FakeArtist? Artist, string? ReleaseDate, int TotalTracks)
{
    public string? Uri => Id is null ? null : $"spotify:album:{Id}";
}
