namespace SpotifySync.Api;

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Accepted <c>X-Api-Key</c> values (several, so keys can be rotated without downtime).</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Upper bound for <c>POST /api/users/{userId}/sync?wait=true</c>.</summary>
    public TimeSpan ManualSyncWaitTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// A user's "Sync Data" reaches Spotify at most once per this: pressed again within it, the request is answered with
    /// the sync already pending or with its outcome. Zero turns it off.
    /// </summary>
    public TimeSpan ManualSyncCooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a request may wait on the cluster before it is answered 503 (and how long the Orleans client waits for a
    /// grain's answer): a silo that died or was cut off must cost the app a quick "try again", not a hung request.
    /// <c>?wait=true</c> may take <see cref="ManualSyncWaitTimeout"/> on top.
    /// </summary>
    public TimeSpan ClusterCallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the Orleans client rereads the live gateways from the membership table. A gateway silo cut off the
    /// network sends no reset: the client keeps its connection, and every request through it waits for the deadline,
    /// until a reread finds that silo declared dead. Orleans' own default is a minute; a reread is one small query.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
