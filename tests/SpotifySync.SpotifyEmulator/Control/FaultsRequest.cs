using System.Text.Json.Serialization;

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

    /// <summary>Share of requests (0..1) answered with headers and a body that then stalls.</summary>
    public double? StallBodyRate { get; init; }

    /// <summary><c>All</c>, <c>TokenEndpoint</c> or <c>WebApi</c>: where bodies stall (rate and per-user switch).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ThrottleScope>))]
    public ThrottleScope? StallScope { get; init; }

    public int? StallDurationMs { get; init; }
}
