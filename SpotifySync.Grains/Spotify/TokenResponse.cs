using System.Text.Json.Serialization;

namespace SpotifySync.Grains.Spotify;

/// <summary>Success body of <c>POST /api/token</c>. <c>refresh_token</c> is present only when Spotify rotates it.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken)
{
    public override string ToString() => $"TokenResponse {{ ExpiresIn = {ExpiresIn}, Rotated = {RefreshToken is not null} }}";
}

/// <summary>Flat OAuth error body of the accounts service: <c>{"error":"invalid_grant","error_description":"..."}</c>.</summary>
public sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

/// <summary>Web API error body: <c>{"error":{"status":401,"message":"..."}}</c>.</summary>
public sealed record WebApiErrorResponse(
    [property: JsonPropertyName("error")] WebApiError? Error);

public sealed record WebApiError(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("message")] string? Message);
