using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Body of <c>POST /_emulator/faults</c>; only the fields present change.</summary>
internal sealed class FaultsRequest
{
    public double? ServerErrorRate { get; init; }

    public int? LatencyMs { get; init; }

    /// <summary>Up to this many milliseconds more, drawn uniformly per request, on top of <see cref="LatencyMs"/>.</summary>
    public int? LatencyJitterMs { get; init; }

    /// <summary>Starts a throttle window of this many seconds from now when positive.</summary>
    public double? ThrottleSeconds { get; init; }

    /// <summary>Retry-After sent during the window; defaults to the window's length.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The <c>reason</c> in the body of the throttle window's 429s (e.g. <c>QUOTA_EXCEEDED</c>); only used
    /// with <see cref="ThrottleSeconds"/>.</summary>
    public string? ThrottleReason { get; init; }

    /// <summary>Calls per rolling window before Spotify's rate limit answers 429; 0 turns the limit off.</summary>
    public int? WindowLimit { get; init; }

    /// <summary>Length of the rate limit's rolling window (30 until changed).</summary>
    public double? WindowSeconds { get; init; }

    /// <summary>The <c>reason</c> in the body of the rate limit's 429s; an empty string sends none again.</summary>
    public string? WindowReason { get; init; }

    /// <summary>Share of requests (0..1) answered with headers and a body that then stalls.</summary>
    public double? StallBodyRate { get; init; }

    /// <summary><c>All</c>, <c>TokenEndpoint</c> or <c>WebApi</c>: where bodies stall (rate and per-user switch).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ThrottleScope>))]
    public ThrottleScope? StallScope { get; init; }

    public int? StallDurationMs { get; init; }
}
