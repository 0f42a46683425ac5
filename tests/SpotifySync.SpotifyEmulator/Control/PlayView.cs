namespace SpotifySync.SpotifyEmulator;

/// <param name="PlayedAt">Spotify's own text for the time, so a script can compare it with what was stored.</param>
internal sealed record PlayView(
    long Sequence,
    string? TrackId,
    string TrackUri,
    string TrackName,
    string? ArtistId,
    string ArtistName,
    string? AlbumId,
    string AlbumName,
    int DurationMs,
    bool IsLocal,
    string? ContextUri,
    string PlayedAt,
    long PlayedAtMs)
{
    public static PlayView Of(EmulatorPlay play) =>
        new(play.Sequence, play.TrackId, play.TrackUri, play.TrackName, play.ArtistId, play.ArtistName, play.AlbumId,
            play.AlbumName, play.DurationMs, play.IsLocal, play.ContextUri, play.PlayedAtText, play.PlayedAt.ToUnixTimeMilliseconds());
}
