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
}
