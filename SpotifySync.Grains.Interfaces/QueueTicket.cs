namespace SpotifySync.Grains.Interfaces;

/// <summary>Where a user stands in the coordinator's queue right after asking for a sync.</summary>
/// <param name="Position">1-based place in the queue; 0 when the user's sync is already running.</param>
/// <param name="AlreadyQueued">The user was queued before this request (a queue holds each user once).</param>
/// <param name="EstimatedStart">When the coordinator expects to start this user's sync.</param>
[GenerateSerializer, Immutable]
public sealed record QueueTicket(
    [property: Id(0)] int Position,
    [property: Id(1)] bool AlreadyQueued,
    [property: Id(2)] DateTimeOffset EstimatedStart);
