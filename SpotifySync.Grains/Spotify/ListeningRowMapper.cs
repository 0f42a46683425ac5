using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Spotify;

/// <summary>Maps a recently-played page to table rows. All or nothing: one unusable item fails the page.</summary>
public static class ListeningRowMapper
{
    /// <summary>Local files have no Spotify artist id; they are keyed by this artist and by their URI.</summary>
    public const string LocalArtistId = "local";

    public static IReadOnlyList<ListeningRow> Map(string userId, RecentlyPlayedPage page)
    {
        var items = page.Items ?? throw new SpotifyResponseFormatException("recently-played page has no items");
        var rows = new List<ListeningRow>(items.Count);
        foreach (var item in items)
        {
            rows.Add(Map(userId, item));
        }
        return rows;
    }

    private static ListeningRow Map(string userId, PlayHistoryItem item)
    {
        var track = item.Track ?? throw new SpotifyResponseFormatException("a recently-played item has no track");
        if (item.PlayedAt == default)
        {
            throw new SpotifyResponseFormatException("a recently-played item has no played_at");
        }
        var trackId = track.Id ?? track.Uri
            ?? throw new SpotifyResponseFormatException("a recently-played track has neither id nor uri");
        var firstArtist = track.Artists is { Count: > 0 } artists ? artists[0] : null;
        var artistId = firstArtist?.Id ?? (track.IsLocal || track.Id is null ? LocalArtistId : null)
            ?? throw new SpotifyResponseFormatException($"track {track.Id} has no artist id");

        return new ListeningRow(
            userId,
            artistId,
            trackId,
            TruncateToMilliseconds(item.PlayedAt.ToUniversalTime()),
            track.Name ?? "",
            firstArtist?.Name ?? "",
            track.Album?.Id,
            track.Album?.Name,
            track.DurationMs,
            item.Context?.Uri);
    }

    // Spotify reports milliseconds; anything finer would make the same play two different keys.
    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
