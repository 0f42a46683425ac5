using System.Text.Json.Serialization;

namespace SpotifySync.Grains.Spotify;

/// <summary>The answer of <c>GET /v1/me/player/recently-played</c>; items are newest first.</summary>
public sealed record RecentlyPlayedPage(
    [property: JsonPropertyName("items")] IReadOnlyList<PlayHistoryItem>? Items,
    [property: JsonPropertyName("next")] string? Next,
    [property: JsonPropertyName("cursors")] RecentlyPlayedCursors? Cursors,
    [property: JsonPropertyName("limit")] int? Limit,
    [property: JsonPropertyName("href")] string? Href);

/// <summary>Unix-millisecond cursors as strings; Spotify sends <c>null</c> instead of an object when there are no items.</summary>
public sealed record RecentlyPlayedCursors(
    [property: JsonPropertyName("after")] string? After,
    [property: JsonPropertyName("before")] string? Before);

public sealed record PlayHistoryItem(
    [property: JsonPropertyName("track")] SpotifyTrack? Track,
    [property: JsonPropertyName("played_at")] DateTimeOffset PlayedAt,
    [property: JsonPropertyName("context")] PlayContext? Context);

public sealed record SpotifyTrack(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("uri")] string? Uri,
    [property: JsonPropertyName("duration_ms")] int DurationMs,
    [property: JsonPropertyName("is_local")] bool IsLocal,
    [property: JsonPropertyName("artists")] IReadOnlyList<SpotifyArtist>? Artists,
    [property: JsonPropertyName("album")] SpotifyAlbum? Album);

public sealed record SpotifyArtist(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name);

public sealed record SpotifyAlbum(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name);

public sealed record PlayContext(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("uri")] string? Uri);
