using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Body of <c>GET /_emulator/faults</c>: the faults now in force, and the rate limit's counters.</summary>
/// <param name="ThrottleReason">The reason of the current throttle window's 429s; null outside a window.</param>
/// <param name="WindowLimit">Null: no rate limit.</param>
/// <param name="WindowCount">Calls admitted in the rolling window that ends now.</param>
/// <param name="MaxWindowCount">The most calls admitted in any one window since the faults were last reset.</param>
/// <param name="WindowRefusals">429s sent by the rate limit since the faults were last reset.</param>
internal sealed record FaultsView(
    double ServerErrorRate,
    int LatencyMs,
    int LatencyJitterMs,
    DateTimeOffset? ThrottledUntil,
    int? RetryAfterSeconds,
    string? ThrottleReason,
    int? WindowLimit,
    double WindowSeconds,
    string? WindowReason,
    int WindowCount,
    int MaxWindowCount,
    long WindowRefusals,
    IReadOnlyCollection<string> MalformedJsonUsers,
    double StallBodyRate,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ThrottleScope>))] ThrottleScope StallScope,
    int StallDurationMs,
    IReadOnlyCollection<string> StalledBodyUsers)
{
    public static FaultsView Of(EmulatorFaults faults, DateTimeOffset now)
    {
        var throttledUntil = faults.ThrottledUntil;
        var throttling = throttledUntil > now;
        return new(
            faults.ServerErrorRate,
            (int)faults.Latency.TotalMilliseconds,
            (int)faults.LatencyJitter.TotalMilliseconds,
            throttling ? throttledUntil : null,
            faults.RetryAfterSeconds,
            throttling ? faults.ThrottleReason : null,
            faults.WindowLimit,
            faults.WindowLength.TotalSeconds,
            faults.WindowReason,
            faults.WindowCount,
            faults.MaxWindowCount,
            faults.WindowRefusals,
            faults.MalformedJsonUsers,
            faults.StallBodyRate,
            faults.StallScope,
            (int)faults.StallDuration.TotalMilliseconds,
            faults.StalledBodyUsers);
    }
}
