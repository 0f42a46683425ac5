namespace SpotifySync.SpotifyEmulator;

/// <summary>The accounts service's flat error: <c>{"error":"invalid_grant","error_description":"..."}</c>.</summary>
internal sealed record OAuthErrorJson(string Error, string ErrorDescription);
