using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Users;

/// <summary>One sync: why it runs, which queued sync it is, when it started, and under which connection.</summary>
internal sealed record SyncRun(SyncTrigger Trigger, Guid SyncId, DateTimeOffset StartedAt, long Connection);

/// <summary>The app connected again or disconnected while this sync waited on Spotify.</summary>
internal sealed class ConnectionReplacedException() : Exception("the connection changed during the sync");
