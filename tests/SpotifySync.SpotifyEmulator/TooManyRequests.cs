namespace SpotifySync.SpotifyEmulator;

/// <summary>The 429 a Spotify request is refused with, by a one-shot throttle fault or by the rate-limit window.</summary>
/// <param name="RetryAfterSeconds">The Retry-After header; null sends none.</param>
/// <param name="Reason">The error body's <c>reason</c>, e.g. <c>QUOTA_EXCEEDED</c>; null leaves it out.</param>
internal sealed record TooManyRequests(int? RetryAfterSeconds, string? Reason);
