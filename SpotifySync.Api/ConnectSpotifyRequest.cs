using System.ComponentModel.DataAnnotations;

namespace SpotifySync.Api;

/// <summary>
/// Body of <c>PUT /api/users/{userId}/spotify</c>: the tokens from the app's Spotify sign-in. Only
/// <see cref="RefreshToken"/> is required. The attributes describe the limits in the OpenAPI document;
/// <see cref="Validate"/> enforces them.
/// </summary>
public sealed record ConnectSpotifyRequest(
    [property: MaxLength(ConnectSpotifyRequest.MaxTokenLength), RegularExpression(PrintableAscii.TokenPattern)] string? RefreshToken,
    [property: MaxLength(ConnectSpotifyRequest.MaxTokenLength), RegularExpression(PrintableAscii.TokenPattern)] string? AccessToken = null,
    DateTimeOffset? ExpiresAt = null,
    [property: MaxLength(ConnectSpotifyRequest.MaxScopeLength), RegularExpression(PrintableAscii.SpaceSeparatedPattern)] string? Scope = null)
{
    /// <summary>
    /// Spotify's tokens are a few hundred characters; 2048 leaves room for a change of format while keeping the
    /// whole body far below the 16 KB request limit.
    /// </summary>
    public const int MaxTokenLength = 2048;

    /// <summary>All of Spotify's scopes together are under 400 characters.</summary>
    public const int MaxScopeLength = 1024;

    /// <summary>
    /// Spotify's access tokens live an hour: an expiry further than a day away (or a day ago) is a mistake, and trusting
    /// it would keep a dead token in use until then.
    /// </summary>
    public static readonly TimeSpan MaxExpiresAtDistance = TimeSpan.FromDays(1);

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(RefreshToken))
        {
            errors["refreshToken"] = ["refreshToken is required."];
        }
        else if (PrintableAscii.CheckToken("refreshToken", RefreshToken, MaxTokenLength) is { } refreshError)
        {
            errors["refreshToken"] = [refreshError];
        }
        if (AccessToken is not null && PrintableAscii.CheckToken("accessToken", AccessToken, MaxTokenLength) is { } accessError)
        {
            errors["accessToken"] = [accessError];
        }
        if (Scope is not null && PrintableAscii.CheckSpaceSeparated("scope", Scope, MaxScopeLength) is { } scopeError)
        {
            errors["scope"] = [scopeError];
        }
        if (ExpiresAt is { } expiresAt)
        {
            if (string.IsNullOrEmpty(AccessToken))
            {
                errors["expiresAt"] = ["expiresAt describes an accessToken; send both or neither."];
            }
            else if (expiresAt < now - MaxExpiresAtDistance || expiresAt > now + MaxExpiresAtDistance)
            {
                errors["expiresAt"] = ["expiresAt must be within a day of now (Spotify's access tokens live an hour)."];
            }
        }
        return errors;
    }

    public override string ToString() => $"ConnectSpotifyRequest {{ HasAccessToken = {AccessToken is not null} }}";
}
