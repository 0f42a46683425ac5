namespace SpotifySync.Benchmarks.Scale;

/// <summary>How long the warm-up took, with how many throwaway users, and the silos' JIT share in its last round.</summary>
internal sealed record WarmUp(TimeSpan Duration, int ThrowawayUsers, double LastRoundJitShare);
