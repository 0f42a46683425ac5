namespace SpotifySync.Api;

/// <summary>Body of <c>PUT /api/users/{userId}/spotify</c>: the tokens from the app's Spotify sign-in.</summary>
public sealed record ConnectSpotifyRequest(string? RefreshToken, string? AccessToken, DateTimeOffset? ExpiresAt, string? Scope)
{
    private const int MaxTokenLength = 4096;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(RefreshToken))
        {
            errors["refreshToken"] = ["refreshToken is required."];
        }
        else if (RefreshToken.Length > MaxTokenLength)
        {
            errors["refreshToken"] = [$"refreshToken is longer than {MaxTokenLength} characters."];
        }
        if (AccessToken is { Length: > MaxTokenLength })
        {
            errors["accessToken"] = [$"accessToken is longer than {MaxTokenLength} characters."];
        }
        if (ExpiresAt is not null && string.IsNullOrEmpty(AccessToken))
        {
            errors["expiresAt"] = ["expiresAt describes an accessToken; send both or neither."];
        }
        return errors;
    }

    public override string ToString() => $"ConnectSpotifyRequest {{ HasAccessToken = {AccessToken is not null} }}";
}
