using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

/// <param name="RefreshToken">Absent (not null) unless the token rotated: clients must keep the old one then.</param>
internal sealed record TokenJson(
    string AccessToken,
    string TokenType,
    string Scope,
    int ExpiresIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken);
