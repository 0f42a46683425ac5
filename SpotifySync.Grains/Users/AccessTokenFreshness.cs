namespace SpotifySync.Grains.Users;

/// <summary>
/// Whether a stored access token may still be used, by a sync or handed to the app: it must have at least
/// <see cref="MinimumLeft"/> left, so that it never dies between the check and the call (or in the app's hands).
/// </summary>
public static class AccessTokenFreshness
{
    public static readonly TimeSpan MinimumLeft = TimeSpan.FromMinutes(5);

    public static bool IsUsable(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } at && at - now >= MinimumLeft;
}
