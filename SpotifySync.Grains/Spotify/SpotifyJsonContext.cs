using System.Text.Json.Serialization;

namespace SpotifySync.Grains.Spotify;

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(WebApiErrorResponse))]
internal sealed partial class SpotifyJsonContext : JsonSerializerContext;
