namespace SpotifySync.SpotifyEmulator;

/// <summary>Body of <c>POST /_emulator/faults</c>; only the fields present change.</summary>
internal sealed class FaultsRequest
{
    public double? ServerErrorRate { get; init; }

    public int? LatencyMs { get; init; }

    /// <summary>Starts a throttle window of this many seconds from now when positive.</summary>
    public double? ThrottleSeconds { get; init; }

    /// <summary>Retry-After sent during the window; defaults to the window's length.</summary>
    public int? RetryAfterSeconds { get; init; }
}
