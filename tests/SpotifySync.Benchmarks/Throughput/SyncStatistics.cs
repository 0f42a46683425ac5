using Npgsql;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>The figures read back from SpotifySync's tables after a round of syncs.</summary>
internal sealed class SyncStatistics(NpgsqlDataSource dataSource)
{
    public async Task<long> StoredPlaysAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM listening_data");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<SyncRound> RoundSinceAsync(DateTimeOffset startedAt, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT COUNT(*),
                   COUNT(*) FILTER (WHERE last_sync_outcome = 'succeeded'),
                   MAX(last_sync_completed_at),
                   COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM last_sync_completed_at - last_sync_started_at)), 0),
                   COALESCE(percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM last_sync_completed_at - last_sync_started_at)), 0)
            FROM spotify_users
            WHERE last_sync_started_at >= @since AND last_sync_completed_at IS NOT NULL
            """);
        command.Parameters.AddWithValue("since", startedAt);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SyncRound(
            (int)reader.GetInt64(0),
            (int)reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            TimeSpan.FromSeconds(reader.GetDouble(3)),
            TimeSpan.FromSeconds(reader.GetDouble(4)));
    }
}
