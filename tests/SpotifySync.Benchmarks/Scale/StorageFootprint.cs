using Npgsql;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// The plays stored and what they take on disk, table and indexes together, summed over every partition of
/// <c>listening_data</c>; and the Orleans reminder rows beside them.
/// </summary>
internal sealed record StorageFootprint(long Plays, long Bytes, long ReminderRows)
{
    public double BytesPerPlay => Plays == 0 ? 0 : (double)Bytes / Plays;

    public static async Task<StorageFootprint> ReadAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM listening_data),
                   (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('listening_data')),
                   (SELECT count(*) FROM orleans_reminders)
            """);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new StorageFootprint(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
