using System.Text.Json;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Spotify;

/// <summary>
/// Reads the answer of <c>GET /v1/me/player/recently-played</c> (items newest first) straight into table rows.
/// <para>
/// A page holds up to 50 full track objects (album, images, artists, links), of which a row keeps ten fields. One
/// forward pass of a <see cref="Utf8JsonReader"/> that skips everything else does not build the objects first:
/// deserialising them into records was a fifth of the silos' CPU per sync (docs/benchmarks.md).
/// </para>
/// All or nothing: one unusable item, a value of the wrong type or malformed JSON fails the whole page.
/// </summary>
public static class RecentlyPlayedPage
{
    /// <summary>Local files have no Spotify artist id; they are keyed by this artist and by their URI.</summary>
    public const string LocalArtistId = "local";

    /// <exception cref="SpotifyResponseFormatException">The page is not a recently-played page we can store.</exception>
    public static IReadOnlyList<ListeningRow> ReadRows(string userId, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            List<ListeningRow>? rows = null;
            ReadExpecting(ref reader, JsonTokenType.StartObject, "recently-played answered something other than an object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("items"u8))
                {
                    reader.Skip();
                    continue;
                }
                reader.Read();
                rows = reader.TokenType == JsonTokenType.StartArray ? ReadItems(userId, ref reader) : null;
            }
            // Whatever follows the page's object is malformed: the reader throws on it.
            reader.Read();
            return rows ?? throw new SpotifyResponseFormatException("recently-played answered without an items array");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // InvalidOperationException and FormatException: a value of the wrong type (a string where a number belongs).
            throw new SpotifyResponseFormatException($"recently-played answered malformed JSON ({e.Message})", e);
        }
    }

    private static List<ListeningRow> ReadItems(string userId, ref Utf8JsonReader reader)
    {
        var rows = new List<ListeningRow>(SpotifyWebApiClient.MaxRecentlyPlayed);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            rows.Add(ReadItem(userId, ref reader));
        }
        return rows;
    }

    private static ListeningRow ReadItem(string userId, ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new SpotifyResponseFormatException("a recently-played item is not an object");
        }
        TrackFields? track = null;
        DateTimeOffset playedAt = default;
        string? contextUri = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("track"u8))
            {
                reader.Read();
                track = reader.TokenType == JsonTokenType.Null ? null : ReadTrack(ref reader);
            }
            else if (reader.ValueTextEquals("played_at"u8))
            {
                reader.Read();
                playedAt = reader.TokenType == JsonTokenType.Null ? default : reader.GetDateTimeOffset();
            }
            else if (reader.ValueTextEquals("context"u8))
            {
                reader.Read();
                contextUri = reader.TokenType == JsonTokenType.Null ? null : ReadIdAndName(ref reader, "uri"u8).Id;
            }
            else
            {
                reader.Skip();
            }
        }
        return ToRow(userId, track, playedAt, contextUri);
    }

    private static TrackFields ReadTrack(ref Utf8JsonReader reader)
    {
        Expect(reader, JsonTokenType.StartObject, "a recently-played track is not an object");
        var track = new TrackFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                track.Id = reader.GetString();
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                track.Name = reader.GetString();
            }
            else if (reader.ValueTextEquals("uri"u8))
            {
                reader.Read();
                track.Uri = reader.GetString();
            }
            else if (reader.ValueTextEquals("duration_ms"u8))
            {
                reader.Read();
                track.DurationMs = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("is_local"u8))
            {
                reader.Read();
                track.IsLocal = reader.GetBoolean();
            }
            else if (reader.ValueTextEquals("artists"u8))
            {
                reader.Read();
                track.FirstArtist = reader.TokenType == JsonTokenType.Null ? null : ReadFirstArtist(ref reader);
            }
            else if (reader.ValueTextEquals("album"u8))
            {
                reader.Read();
                track.Album = reader.TokenType == JsonTokenType.Null ? null : ReadIdAndName(ref reader, "id"u8);
            }
            else
            {
                reader.Skip();
            }
        }
        return track;
    }

    /// <summary>The first artist of the array (the one a play is keyed by), or null when there is none.</summary>
    private static IdAndName? ReadFirstArtist(ref Utf8JsonReader reader)
    {
        Expect(reader, JsonTokenType.StartArray, "a recently-played track's artists are not an array");
        IdAndName? first = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (first is null && reader.TokenType == JsonTokenType.StartObject)
            {
                first = ReadIdAndName(ref reader, "id"u8);
            }
            else
            {
                reader.Skip();
            }
        }
        return first;
    }

    /// <summary>An object's <paramref name="idProperty"/> and <c>name</c> (an album, an artist, a context's uri).</summary>
    private static IdAndName ReadIdAndName(ref Utf8JsonReader reader, ReadOnlySpan<byte> idProperty)
    {
        Expect(reader, JsonTokenType.StartObject, "a recently-played item holds a value of the wrong type");
        string? id = null;
        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(idProperty))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
        return new IdAndName(id, name);
    }

    private static ListeningRow ToRow(string userId, TrackFields? track, DateTimeOffset playedAt, string? contextUri)
    {
        if (track is null)
        {
            throw new SpotifyResponseFormatException("a recently-played item has no track");
        }
        if (playedAt == default)
        {
            throw new SpotifyResponseFormatException("a recently-played item has no played_at");
        }
        var trackId = track.Id ?? track.Uri
            ?? throw new SpotifyResponseFormatException("a recently-played track has neither id nor uri");
        var artistId = track.FirstArtist?.Id ?? (track.IsLocal || track.Id is null ? LocalArtistId : null)
            ?? throw new SpotifyResponseFormatException($"track {track.Id} has no artist id");
        return new ListeningRow(
            userId,
            artistId,
            trackId,
            TruncateToMilliseconds(playedAt.ToUniversalTime()),
            track.Name ?? "",
            track.FirstArtist?.Name ?? "",
            track.Album?.Id,
            track.Album?.Name,
            track.DurationMs,
            contextUri);
    }

    private static void ReadExpecting(ref Utf8JsonReader reader, JsonTokenType type, string otherwise)
    {
        if (!reader.Read())
        {
            throw new SpotifyResponseFormatException("recently-played answered an empty body");
        }
        Expect(reader, type, otherwise);
    }

    private static void Expect(in Utf8JsonReader reader, JsonTokenType type, string otherwise)
    {
        if (reader.TokenType != type)
        {
            throw new SpotifyResponseFormatException(otherwise);
        }
    }

    // Spotify reports milliseconds; anything finer would make the same play two different keys.
    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private sealed class TrackFields
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Uri { get; set; }
        public int DurationMs { get; set; }
        public bool IsLocal { get; set; }
        public IdAndName? FirstArtist { get; set; }
        public IdAndName? Album { get; set; }
    }

    private sealed record IdAndName(string? Id, string? Name);
}
