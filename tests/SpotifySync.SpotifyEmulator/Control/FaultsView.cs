using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

internal sealed record FaultsView(
    double ServerErrorRate,
    int LatencyMs,
    DateTimeOffset? ThrottledUntil,
    int? RetryAfterSeconds,
    IReadOnlyCollection<string> MalformedJsonUsers,
    double StallBodyRate,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ThrottleScope>))] ThrottleScope StallScope,
    int StallDurationMs,
    IReadOnlyCollection<string> StalledBodyUsers)
{
    public static FaultsView Of(EmulatorFaults faults, DateTimeOffset now)
    {
        var throttledUntil = faults.ThrottledUntil;
        return new(
            faults.ServerErrorRate,
            (int)faults.Latency.TotalMilliseconds,
            throttledUntil > now ? throttledUntil : null,
            faults.RetryAfterSeconds,
            faults.MalformedJsonUsers,
            faults.StallBodyRate,
            faults.StallScope,
            (int)faults.StallDuration.TotalMilliseconds,
            faults.StalledBodyUsers);
    }
}
