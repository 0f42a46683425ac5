using System.Text.Json;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.UnitTests;

public sealed class ListeningRowMapperTests
{
    private static RecentlyPlayedPage Parse(string json) =>
        JsonSerializer.Deserialize(json, SpotifyJsonContext.Default.RecentlyPlayedPage)!;

    private const string TwoPlays = """
        {
          "items": [
            {
              "track": {
                "id": "4uLU6hMCjMI75M1A2tKUQC", "name": "Never Gonna Give You Up", "uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
                "duration_ms": 213573, "is_local": false, "explicit": false, "popularity": 80, "type": "track",
                "artists": [ { "id": "0gxyHStUsqpMadRV0Di1Qt", "name": "Rick Astley", "type": "artist" },
                             { "id": "second", "name": "Someone Else" } ],
                "album": { "id": "6XhjNHCyCDyyGJRM5mg40G", "name": "Whenever You Need Somebody", "images": [] }
              },
              "played_at": "2026-11-24T10:00:00.123Z",
              "context": { "type": "playlist", "uri": "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M", "href": "x", "external_urls": {} }
            },
            {
              "track": {
                "id": "7GhIk7Il098yCjg4BQjzvb", "name": "Take On Me", "uri": "spotify:track:7GhIk7Il098yCjg4BQjzvb",
                "duration_ms": 225280, "is_local": false,
                "artists": [ { "id": "2jzc5TC5TVFLXQlBNiIUzE", "name": "a-ha" } ],
                "album": { "id": "1ER3B6zev5JEAaqhnyyfbf", "name": "Hunting High and Low" }
              },
              "played_at": "2026-11-24T09:55:00Z",
              "context": null
            }
          ],
          "next": "https://api.spotify.com/v1/me/player/recently-played?before=1764057300000&limit=2",
          "cursors": { "after": "1764057600123", "before": "1764057300000" },
          "limit": 2,
          "href": "https://api.spotify.com/v1/me/player/recently-played?limit=2"
        }
        """;

    [Fact]
    public void Maps_each_play_to_a_row_keyed_by_first_artist_track_and_played_at()
    {
        var rows = ListeningRowMapper.Map("user-1", Parse(TwoPlays));

        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal("user-1", first.UserId);
        Assert.Equal("0gxyHStUsqpMadRV0Di1Qt", first.ArtistId);
        Assert.Equal("Rick Astley", first.ArtistName);
        Assert.Equal("4uLU6hMCjMI75M1A2tKUQC", first.TrackId);
        Assert.Equal("Never Gonna Give You Up", first.TrackName);
        Assert.Equal("6XhjNHCyCDyyGJRM5mg40G", first.AlbumId);
        Assert.Equal("Whenever You Need Somebody", first.AlbumName);
        Assert.Equal(213573, first.DurationMs);
        Assert.Equal("spotify:playlist:37i9dQZF1DXcBWIGoYBM5M", first.ContextUri);
    }

    [Fact]
    public void Played_at_keeps_milliseconds_and_accepts_timestamps_without_them()
    {
        var rows = ListeningRowMapper.Map("user-1", Parse(TwoPlays));

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, 123, TimeSpan.Zero), rows[0].PlayedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 55, 0, TimeSpan.Zero), rows[1].PlayedAt);
        Assert.All(rows, r => Assert.Equal(TimeSpan.Zero, r.PlayedAt.Offset));
    }

    [Fact]
    public void A_null_context_gives_a_null_context_uri()
    {
        var rows = ListeningRowMapper.Map("user-1", Parse(TwoPlays));

        Assert.Null(rows[1].ContextUri);
    }

    [Fact]
    public void An_empty_history_with_null_cursors_maps_to_no_rows()
    {
        var page = Parse("""{ "items": [], "next": null, "cursors": null, "limit": 50, "href": "x" }""");

        Assert.Null(page.Cursors);
        Assert.Empty(ListeningRowMapper.Map("user-1", page));
    }

    [Fact]
    public void A_local_file_is_keyed_by_its_uri_and_the_local_artist()
    {
        var page = Parse("""
            { "items": [ { "track": {
                  "id": null, "name": "Demo Take 3", "uri": "spotify:local:My+Band:Garage+Tapes:Demo+Take+3:245",
                  "duration_ms": 245000, "is_local": true,
                  "artists": [ { "id": null, "name": "My Band" } ],
                  "album": { "id": null, "name": "Garage Tapes" } },
                "played_at": "2026-11-24T08:00:00.500Z", "context": null } ],
              "next": null, "cursors": { "after": "1", "before": "1" }, "limit": 50, "href": "x" }
            """);

        var row = Assert.Single(ListeningRowMapper.Map("user-1", page));

        Assert.Equal("spotify:local:My+Band:Garage+Tapes:Demo+Take+3:245", row.TrackId);
        Assert.Equal(ListeningRowMapper.LocalArtistId, row.ArtistId);
        Assert.Equal("My Band", row.ArtistName);
        Assert.Null(row.AlbumId);
        Assert.Equal("Garage Tapes", row.AlbumName);
    }

    [Fact]
    public void An_item_without_a_track_fails_the_whole_page()
    {
        var page = Parse("""
            { "items": [ { "track": null, "played_at": "2026-11-24T08:00:00Z", "context": null } ],
              "next": null, "cursors": null, "limit": 50, "href": "x" }
            """);

        Assert.Throws<SpotifyResponseFormatException>(() => ListeningRowMapper.Map("user-1", page));
    }

    [Fact]
    public void Sub_millisecond_precision_is_truncated_so_one_play_has_one_key()
    {
        var page = Parse("""
            { "items": [ { "track": { "id": "t", "name": "n", "uri": "spotify:track:t", "duration_ms": 1, "is_local": false,
                  "artists": [ { "id": "a", "name": "A" } ], "album": { "id": "b", "name": "B" } },
                "played_at": "2026-11-24T08:00:00.1239Z", "context": null } ],
              "next": null, "cursors": null, "limit": 50, "href": "x" }
            """);

        var row = Assert.Single(ListeningRowMapper.Map("user-1", page));

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, 123, TimeSpan.Zero), row.PlayedAt);
    }
}
