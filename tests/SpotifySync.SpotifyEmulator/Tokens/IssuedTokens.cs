namespace SpotifySync.SpotifyEmulator;

/// <param name="RotatedRefreshToken">Only set when the user's refresh tokens rotate.</param>
internal sealed record IssuedTokens(string AccessToken, TimeSpan ExpiresIn, string? RotatedRefreshToken);
