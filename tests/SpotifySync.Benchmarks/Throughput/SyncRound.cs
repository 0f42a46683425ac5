namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// The syncs that started at or after a moment, as <c>spotify_users</c> records them (each user's last sync):
/// how many, how many succeeded, when the last one completed, and the p50/p99 of their durations.
/// </summary>
internal sealed record SyncRound(int Users, int Succeeded, DateTimeOffset? LastCompletedAt, TimeSpan P50, TimeSpan P99)
{
    /// <summary>From the start of the round to its last completed sync.</summary>
    public TimeSpan ElapsedSince(DateTimeOffset startedAt) => (LastCompletedAt ?? startedAt) - startedAt;
}
