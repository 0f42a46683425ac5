namespace SpotifySync.Grains.Interfaces;

/// <summary>What the coordinator decided about a user whose refresh token Spotify refused (see <see cref="UserConnectionState.Quarantined"/>).</summary>
[GenerateSerializer]
public enum QuarantineVerdict
{
    /// <summary>No storm followed within the window: the refusal was the user's own; erase the tokens (needs reconnect).</summary>
    Erase = 0,
    /// <summary>A storm is over: try one refresh; restore the user if it works, quarantine again if refused.</summary>
    Retry = 1,
}
