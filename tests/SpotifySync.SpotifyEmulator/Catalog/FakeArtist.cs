namespace SpotifySync.SpotifyEmulator;

/// <param name="Id">Null for the artist of a local file.</param>
internal sealed record FakeArtist(string? Id, string Name)
{
    public string? Uri => Id is null ? null : $"spotify:artist:{Id}";
}
