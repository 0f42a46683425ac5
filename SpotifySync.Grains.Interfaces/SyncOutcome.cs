namespace SpotifySync.Grains.Interfaces;

/// <summary>What one user's sync did; reported to the coordinator so it can count, pause and log the batch.</summary>
[GenerateSerializer, Immutable]
public sealed record SyncOutcome(
    [property: Id(0)] string UserId,
    [property: Id(1)] SyncOutcomeKind Kind,
    [property: Id(2)] int TracksAdded,
    [property: Id(3)] string? Error,
    [property: Id(4)] TimeSpan? RetryAfter,
    [property: Id(5)] TimeSpan Duration);
