using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Spotify's wire names are snake_case; nulls are written because Spotify writes them (id: null, context: null).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RecentlyPlayedJson))]
[JsonSerializable(typeof(UserProfileJson))]
[JsonSerializable(typeof(TokenJson))]
[JsonSerializable(typeof(OAuthErrorJson))]
[JsonSerializable(typeof(WebApiErrorJson))]
internal sealed partial class SpotifyJsonContext : JsonSerializerContext;
