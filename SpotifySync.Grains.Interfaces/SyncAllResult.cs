namespace SpotifySync.Grains.Interfaces;

[GenerateSerializer, Immutable]
public sealed record SyncAllResult(
    [property: Id(0)] int UsersFound,
    [property: Id(1)] int NewlyQueued,
    [property: Id(2)] int QueueLength,
    [property: Id(3)] DateTimeOffset EstimatedFinish);
