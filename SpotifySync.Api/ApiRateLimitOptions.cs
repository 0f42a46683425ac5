namespace SpotifySync.Api;

/// <summary>
/// Configuration section <c>Api:RateLimit</c>: requests per API key in a fixed window. The app backend is the only
/// caller; the limit is there so that a runaway loop in it cannot flood the cluster, not to ration normal use
/// (100,000 users looking at their status every hour is about 30 requests a second).
/// </summary>
public sealed class ApiRateLimitOptions
{
    public const string SectionName = "Api:RateLimit";

    /// <summary>Requests one key may make per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 6000;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
