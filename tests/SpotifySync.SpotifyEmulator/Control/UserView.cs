namespace SpotifySync.SpotifyEmulator;

internal sealed record UserView(string UserId, string RefreshToken, bool RotateRefreshTokens, bool IncludeLocalFiles, DateTimeOffset CreatedAt)
{
    public static UserView Of(EmulatorUser user) =>
        new(user.UserId, user.RefreshToken, user.RotateRefreshTokens, user.Settings.IncludeLocalFiles, user.CreatedAt);
}
