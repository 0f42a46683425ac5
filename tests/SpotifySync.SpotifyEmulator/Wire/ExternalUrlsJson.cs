using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Spotify sends <c>{}</c> for things that have no page, such as local files.</summary>
internal sealed record ExternalUrlsJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Spotify);
