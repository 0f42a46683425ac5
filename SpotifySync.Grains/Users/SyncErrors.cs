using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Users;

/// <summary>A failed sync's error as the operator reads it in sync-status and the log (never a token).</summary>
public static class SyncErrors
{
    public static string Describe(Exception e) => e switch
    {
        SpotifyException => e.Message,
        StorageUnavailableException => e.Message,
        // Our own deadline on a whole call says which call stalled; the others only that time ran out.
        TimeoutException t => $"Spotify did not answer in time ({t.Message})",
        TaskCanceledException or Polly.Timeout.TimeoutRejectedException => "Spotify did not answer in time",
        HttpRequestException h => $"Spotify unreachable ({h.HttpRequestError})",
        Npgsql.NpgsqlException n => $"PostgreSQL error: {n.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
