namespace SpotifySync.Grains.Interfaces;

[GenerateSerializer]
public enum UserConnectionState
{
    /// <summary>No row: the app never connected this user.</summary>
    NotConnected = 0,
    Active = 1,
    /// <summary>Spotify refused the refresh token (revoked or expired): the user must sign in again.</summary>
    NeedsReconnect = 2,
    Disconnected = 3,
    /// <summary>
    /// Spotify refused the refresh token, but the tokens are kept (encrypted) while that may be Spotify's incident
    /// (an <c>invalid_grant</c> storm): restored if a retry works, erased (needs reconnect) otherwise.
    /// </summary>
    Quarantined = 4,
}
