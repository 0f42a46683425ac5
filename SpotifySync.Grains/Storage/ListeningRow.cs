namespace SpotifySync.Grains.Storage;

/// <summary>One play as stored in <c>listening_data</c>. The key columns are never null.</summary>
public sealed record ListeningRow(
    string UserId,
    string ArtistId,
    string TrackId,
    DateTimeOffset PlayedAt,
    string TrackName,
    string ArtistName,
    string? AlbumId,
    string? AlbumName,
    int DurationMs,
    string? ContextUri);
