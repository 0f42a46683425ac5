namespace SpotifySync.Grains.Interfaces;

/// <summary>One drained queue: from the first user started to the last outcome reported.</summary>
[GenerateSerializer, Immutable]
public sealed record SyncBatchSummary(
    [property: Id(0)] DateTimeOffset StartedAt,
    [property: Id(1)] DateTimeOffset CompletedAt,
    [property: Id(2)] int Users,
    [property: Id(3)] int Tracks,
    [property: Id(4)] int Failures);
