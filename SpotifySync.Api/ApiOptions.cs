namespace SpotifySync.Api;

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Accepted <c>X-Api-Key</c> values (several, so keys can be rotated without downtime).</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Upper bound for <c>POST /api/users/{userId}/sync?wait=true</c>.</summary>
    public TimeSpan ManualSyncWaitTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
