namespace SpotifySync.Grains.Interfaces;

/// <summary>What a connect did: the user's status after it, and the first sync it queued (with its place in the queue).</summary>
[GenerateSerializer, Immutable]
public sealed record UserConnected(
    [property: Id(0)] UserSyncStatus Status,
    [property: Id(1)] QueueTicket? FirstSync);
