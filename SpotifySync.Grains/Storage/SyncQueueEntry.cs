using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Storage;

/// <summary>A user waiting at the coordinator. <see cref="SortKey"/> orders users within a priority.</summary>
public sealed record SyncQueueEntry(string UserId, SyncPriority Priority, SyncTrigger Trigger, long SortKey, DateTimeOffset EnqueuedAt);
