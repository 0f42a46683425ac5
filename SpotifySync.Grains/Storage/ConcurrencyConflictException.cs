namespace SpotifySync.Grains.Storage;

/// <summary>The stored row moved on since it was read: another activation of the same user wrote it.</summary>
public sealed class ConcurrencyConflictException(string userId, long expectedVersion)
    : Exception($"spotify_users row of user {userId} is no longer at version {expectedVersion}");
