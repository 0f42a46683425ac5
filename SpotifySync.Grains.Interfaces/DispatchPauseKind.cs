namespace SpotifySync.Grains.Interfaces;

/// <summary>Why the coordinator stopped dispatching for a while.</summary>
[GenerateSerializer]
public enum DispatchPauseKind
{
    /// <summary>A 429 for Spotify's rolling rate limit: wait its Retry-After (the call budget also comes down).</summary>
    RateLimited = 0,
    /// <summary>A 429 for an exhausted quota (<c>QUOTA_EXCEEDED</c>, or a Retry-After beyond <c>Sync:Interval</c>).</summary>
    QuotaExceeded = 1,
    /// <summary>Spotify refused the app's own credentials (<c>invalid_client</c>).</summary>
    CredentialsRejected = 2,
    /// <summary>Many users' refresh tokens refused at once (<c>Sync:InvalidGrantStorm</c>): Spotify's incident, no refresh is sent.</summary>
    InvalidGrantStorm = 3,
}

public static class DispatchPauseKindNames
{
    /// <summary>The word stored in <c>coordinator_pause.kind</c>.</summary>
    public static string ToWireName(this DispatchPauseKind kind) => kind switch
    {
        DispatchPauseKind.QuotaExceeded => "quota_exceeded",
        DispatchPauseKind.CredentialsRejected => "credentials_rejected",
        DispatchPauseKind.InvalidGrantStorm => "invalid_grant_storm",
        _ => "rate_limited",
    };

    public static DispatchPauseKind Parse(string wireName) => wireName switch
    {
        "quota_exceeded" => DispatchPauseKind.QuotaExceeded,
        "credentials_rejected" => DispatchPauseKind.CredentialsRejected,
        "invalid_grant_storm" => DispatchPauseKind.InvalidGrantStorm,
        _ => DispatchPauseKind.RateLimited,
    };
}
