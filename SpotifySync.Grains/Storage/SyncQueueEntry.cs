using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Storage;

/// <summary>
/// A user waiting at the coordinator. <see cref="SortKey"/> orders users within a priority; <see cref="SyncId"/>
/// names the sync this entry will become (every request merged into the entry is answered by it).
/// </summary>
public sealed record SyncQueueEntry(
    string UserId, SyncPriority Priority, SyncTrigger Trigger, long SortKey, DateTimeOffset EnqueuedAt, Guid SyncId);
