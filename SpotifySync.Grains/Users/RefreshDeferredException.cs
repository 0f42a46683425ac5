namespace SpotifySync.Grains.Users;

/// <summary>The coordinator refused a refresh: an <c>invalid_grant</c> storm is on, so no refresh is sent to Spotify.</summary>
public sealed class RefreshDeferredException()
    : Exception("token refresh deferred: Spotify is refusing many refresh tokens at once (invalid_grant storm); the sync waits for the storm to end");
