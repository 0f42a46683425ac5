namespace SpotifySync.SpotifyEmulator;

internal sealed record FaultsView(
    double ServerErrorRate,
    int LatencyMs,
    DateTimeOffset? ThrottledUntil,
    int? RetryAfterSeconds,
    IReadOnlyCollection<string> MalformedJsonUsers)
{
    public static FaultsView Of(EmulatorFaults faults, DateTimeOffset now)
    {
        var throttledUntil = faults.ThrottledUntil;
        return new(
            faults.ServerErrorRate,
            (int)faults.Latency.TotalMilliseconds,
            throttledUntil > now ? throttledUntil : null,
            faults.RetryAfterSeconds,
            faults.MalformedJsonUsers);
    }
}
