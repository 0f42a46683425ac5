namespace SpotifySync.SpotifyEmulator;

internal sealed record UserTokenView(string UserId, string RefreshToken);
