namespace SpotifySync.Grains.Interfaces;

/// <summary>
/// The cluster-wide Spotify call budget (key: <see cref="CallBudgetKey.Value"/>): every HTTP request any silo sends to
/// Spotify takes a permit here first, so the whole cluster stays inside <c>Spotify:CallsPer30Seconds</c>.
/// Every call returns at once; a caller refused a permit waits on its own side.
/// </summary>
public interface ICallBudgetGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="wanted"/> permits; when fewer, <see cref="CallPermitGrant.RetryAfter"/> says when to ask again.</summary>
    Task<CallPermitGrant> TakeAsync(int wanted);

    /// <summary>
    /// Spotify answered 429: no permits until <paramref name="retryAfter"/> has passed, and for a rate limit (not an
    /// exhausted quota) the effective budget comes down.
    /// </summary>
    Task ReportThrottledAsync(TimeSpan retryAfter, bool quotaExceeded);

    Task<CallBudgetStatus> GetStatusAsync();
}

public static class CallBudgetKey
{
    public const long Value = 0;
}

/// <param name="RetryAfter">Relative, not a time of day: the caller's clock may differ from this grain's silo.</param>
[GenerateSerializer, Immutable]
public sealed record CallPermitGrant([property: Id(0)] int Granted, [property: Id(1)] TimeSpan RetryAfter);

/// <summary>The budget as operators see it in <c>GET /api/sync/status</c>.</summary>
/// <param name="Configured"><c>Spotify:CallsPer30Seconds</c>; 0 when there is no budget.</param>
/// <param name="Effective">The limit in force: below the configured one for a while after a 429.</param>
/// <param name="SentInLast30Seconds">Spotify requests the cluster sent (permits granted) in the last 30 s.</param>
[GenerateSerializer, Immutable]
public sealed record CallBudgetStatus(
    [property: Id(0)] int Configured,
    [property: Id(1)] double Effective,
    [property: Id(2)] int SentInLast30Seconds);
