namespace SpotifySync.SpotifyEmulator;

/// <param name="Id">Null for a local file, whose only identity is its <c>spotify:local:</c> URI.</param>
internal sealed record FakeTrack(
    string? Id,
    string Name,
    IReadOnlyList<FakeArtist> Artists,
    FakeAlbum Album,
    int DurationMs,
    bool Explicit,
    int Popularity,
    int TrackNumber,
    bool IsLocal,
    string Uri);
