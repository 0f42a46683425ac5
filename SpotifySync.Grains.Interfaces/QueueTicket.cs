namespace SpotifySync.Grains.Interfaces;

/// <summary>Where a user stands in the coordinator's queue right after asking for a sync.</summary>
/// <param name="Position">1-based place in the queue; 0 when the user's sync is already running.</param>
/// <param name="AlreadyQueued">The user was queued before this request (a queue holds each user once).</param>
/// <param name="EstimatedStart">When the coordinator expects to start this user's sync.</param>
/// <param name="SyncId">
/// The queued sync that will serve this request: it starts after the request arrived. Its outcome shows up in
/// <see cref="UserSyncStatus.LastSyncId"/>, so a waiter never mistakes an earlier sync (already running when
/// it asked) for its own, whatever the hosts' clocks say.
/// </param>
[GenerateSerializer, Immutable]
public sealed record QueueTicket(
    [property: Id(0)] int Position,
    [property: Id(1)] bool AlreadyQueued,
    [property: Id(2)] DateTimeOffset EstimatedStart,
    [property: Id(3)] Guid SyncId);
