namespace SpotifySync.Grains.Interfaces;

[GenerateSerializer]
public enum SyncOutcomeKind
{
    Succeeded = 0,
    Failed = 1,
    /// <summary>Spotify answered 429: the whole cluster must pause, the user goes back to the front.</summary>
    Throttled = 2,
    NeedsReconnect = 3,
    /// <summary>Nothing to do: the user is not active (disconnected, needs reconnect, unknown).</summary>
    Skipped = 4,
    /// <summary>Spotify rejected the app's credentials (<c>invalid_client</c>): a cluster-wide problem, not the user's.</summary>
    AppCredentialsRejected = 5,
    /// <summary>Spotify answered 429 because the app's quota is spent: the cluster pauses, the budget stays.</summary>
    QuotaExceeded = 6,
    /// <summary>The access token needed a refresh during an <c>invalid_grant</c> storm: not sent; the sync waits for the storm's end.</summary>
    RefreshDeferred = 7,
    /// <summary>Spotify refused the refresh token: the tokens are kept (quarantined) until it is clear whether it was a storm.</summary>
    TokensQuarantined = 8,
}

public static class SyncOutcomeKindExtensions
{
    /// <summary>The word stored in <c>spotify_users.last_sync_outcome</c> and shown in sync-status.</summary>
    public static string ToWireName(this SyncOutcomeKind kind) => kind switch
    {
        SyncOutcomeKind.Succeeded => "succeeded",
        SyncOutcomeKind.Failed => "failed",
        SyncOutcomeKind.Throttled => "throttled",
        SyncOutcomeKind.NeedsReconnect => "needs_reconnect",
        SyncOutcomeKind.AppCredentialsRejected => "app_credentials_rejected",
        SyncOutcomeKind.QuotaExceeded => "quota_exceeded",
        SyncOutcomeKind.RefreshDeferred => "refresh_deferred",
        SyncOutcomeKind.TokensQuarantined => "tokens_quarantined",
        _ => "skipped",
    };
}
