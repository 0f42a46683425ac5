namespace SpotifySync.SpotifyEmulator;

internal enum AccessTokenStatus
{
    Unknown,
    Valid,
    Expired,
}
