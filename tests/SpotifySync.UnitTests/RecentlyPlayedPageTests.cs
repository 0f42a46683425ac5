using System.Text;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.UnitTests;

public sealed class RecentlyPlayedPageTests
{
    private static IReadOnlyList<ListeningRow> Read(string json) => RecentlyPlayedPage.ReadRows("user-1", Encoding.UTF8.GetBytes(json));

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
        var rows = Read(TwoPlays);

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
        var rows = Read(TwoPlays);

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, 123, TimeSpan.Zero), rows[0].PlayedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 55, 0, TimeSpan.Zero), rows[1].PlayedAt);
        Assert.All(rows, r => Assert.Equal(TimeSpan.Zero, r.PlayedAt.Offset));
    }

    [Fact]
    public void A_null_context_gives_a_null_context_uri()
    {
        var rows = Read(TwoPlays);

        Assert.Null(rows[1].ContextUri);
    }

    [Fact]
    public void An_empty_history_with_null_cursors_maps_to_no_rows()
    {
        Assert.Empty(Read("""{ "items": [], "next": null, "cursors": null, "limit": 50, "href": "x" }"""));
    }

    [Fact]
    public void A_local_file_is_keyed_by_its_uri_and_the_local_artist()
    {
        var page = """
            { "items": [ { "track": {
                  "id": null, "name": "Demo Take 3", "uri": "spotify:local:My+Band:Garage+Tapes:Demo+Take+3:245",
                  "duration_ms": 245000, "is_local": true,
                  "artists": [ { "id": null, "name": "My Band" } ],
                  "album": { "id": null, "name": "Garage Tapes" } },
                "played_at": "2026-11-24T08:00:00.500Z", "context": null } ],
              "next": null, "cursors": { "after": "1", "before": "1" }, "limit": 50, "href": "x" }
            """;

        var row = Assert.Single(Read(page));

        Assert.Equal("spotify:local:My+Band:Garage+Tapes:Demo+Take+3:245", row.TrackId);
        Assert.Equal(RecentlyPlayedPage.LocalArtistId, row.ArtistId);
        Assert.Equal("My Band", row.ArtistName);
        Assert.Null(row.AlbumId);
        Assert.Equal("Garage Tapes", row.AlbumName);
    }

    [Fact]
    public void An_item_without_a_track_fails_the_whole_page()
    {
        var page = """
            { "items": [ { "track": null, "played_at": "2026-11-24T08:00:00Z", "context": null } ],
              "next": null, "cursors": null, "limit": 50, "href": "x" }
            """;

        Assert.Throws<SpotifyResponseFormatException>(() => Read(page));
    }

    [Fact]
    public void Sub_millisecond_precision_is_truncated_so_one_play_has_one_key()
    {
        var page = """
            { "items": [ { "track": { "id": "t", "name": "n", "uri": "spotify:track:t", "duration_ms": 1, "is_local": false,
                  "artists": [ { "id": "a", "name": "A" } ], "album": { "id": "b", "name": "B" } },
                "played_at": "2026-11-24T08:00:00.1239Z", "context": null } ],
              "next": null, "cursors": null, "limit": 50, "href": "x" }
            """;

        var row = Assert.Single(Read(page));

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, 123, TimeSpan.Zero), row.PlayedAt);
    }

    [Theory]
    [InlineData("""{ "items": [ { "track": { "id": "t", "artists": [ { "id": "a" } ] }, "played_at": "2026-11-24T08:00:00Z" } ], "next": nu""")]
    [InlineData("""{ "items": [] } trailing""")]
    [InlineData("")]
    [InlineData("[]")]
    public void Malformed_json_fails_the_page(string json)
    {
        Assert.Throws<SpotifyResponseFormatException>(() => Read(json));
    }

    [Theory]
    [InlineData("""{ "next": null, "limit": 50 }""")]
    [InlineData("""{ "items": null }""")]
    [InlineData("""{ "items": { "0": {} } }""")]
    public void A_page_without_an_items_array_fails(string json)
    {
        var e = Assert.Throws<SpotifyResponseFormatException>(() => Read(json));

        Assert.Contains("without an items array", e.Message);
    }

    [Theory]
    [InlineData("\"duration_ms\": \"213573\"")]
    [InlineData("\"duration_ms\": null")]
    [InlineData("\"is_local\": \"no\"")]
    [InlineData("\"id\": 42")]
    [InlineData("\"artists\": { \"id\": \"a\" }")]
    [InlineData("\"album\": \"Hunting High and Low\"")]
    public void A_value_of_the_wrong_type_fails_the_page(string field)
    {
        var json = $$"""
            { "items": [ { "track": { "name": "n", "uri": "spotify:track:t", "artists": [ { "id": "a", "name": "A" } ], {{field}} },
              "played_at": "2026-11-24T08:00:00Z" } ] }
            """;

        Assert.Throws<SpotifyResponseFormatException>(() => Read(json));
    }

    [Fact]
    public void An_unparseable_played_at_fails_the_page()
    {
        var json = """
            { "items": [ { "track": { "id": "t", "artists": [ { "id": "a" } ] }, "played_at": "yesterday" } ] }
            """;

        Assert.Throws<SpotifyResponseFormatException>(() => Read(json));
    }

    [Fact]
    public void Escaped_strings_are_unescaped_and_unknown_fields_of_any_shape_are_skipped()
    {
        var json = """
            { "href": "x", "items": [ { "played_at": "2026-11-24T08:00:00Z",
                "track": { "album": { "images": [ { "url": "u", "height": 640 } ], "name": "Back in Black", "id": "al\u0062um",
                                      "artists": [ { "id": "not-the-track-artist", "name": "nested" } ] },
                           "available_markets": [ "DE", "FR" ], "external_ids": { "isrc": "x" }, "popularity": 80,
                           "artists": [ { "external_urls": { "spotify": "s" }, "name": "AC\/DC", "id": "acdc" }, { "id": "second" } ],
                           "name": "Hells Bells \u2013 Live", "id": "t", "duration_ms": 312000, "explicit": false },
                "context": { "type": "album", "external_urls": {}, "uri": "spotify:album:x" } } ],
              "cursors": { "after": "1", "before": "1" } }
            """;

        var row = Assert.Single(Read(json));

        Assert.Equal(new ListeningRow("user-1", "acdc", "t", new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
            "Hells Bells \u2013 Live", "AC/DC", "album", "Back in Black", 312000, "spotify:album:x"), row);
    }

    [Fact]
    public void A_track_without_artists_is_refused_unless_it_is_local()
    {
        var json = """
            { "items": [ { "track": { "id": "t", "name": "n", "artists": [] }, "played_at": "2026-11-24T08:00:00Z" } ] }
            """;

        var e = Assert.Throws<SpotifyResponseFormatException>(() => Read(json));

        Assert.Contains("no artist id", e.Message);
    }
}
