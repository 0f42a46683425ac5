using SpotifySync.Grains.Storage;

namespace SpotifySync.Benchmarks;

/// <summary>A page of plays shaped like Spotify's recently-played answer: 50 plays, realistic id and name lengths.</summary>
internal static class PlayPage
{
    /// <summary>Spotify returns at most 50 plays per call, so one sync never commits more.</summary>
    public const int Size = 50;

    // Roughly a song's length: consecutive plays of one page never share a played_at.
    private static readonly TimeSpan PlayLength = TimeSpan.FromMinutes(3);

    public static TimeSpan Span => PlayLength * Size;

    public static ListeningRow[] Create(string userId, DateTimeOffset firstPlayedAt)
    {
        var rows = new ListeningRow[Size];
        for (var i = 0; i < Size; i++)
        {
            rows[i] = new ListeningRow(
                userId,
                ArtistId: $"4Z8W4fKeB5YxbusRsdQVP{i % 10}",
                TrackId: $"6rqhFgbbKwnb9MLmUQDh{i:D2}",
                PlayedAt: firstPlayedAt + PlayLength * i,
                TrackName: $"Track number {i} with a typical title",
                ArtistName: "A Typical Artist Name",
                AlbumId: $"1ATL5GLyefJaxhQzSPVr{i % 5:D2}",
                AlbumName: "An Album Name of Average Length",
                DurationMs: 180_000 + i,
                ContextUri: "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M");
        }
        return rows;
    }
}
