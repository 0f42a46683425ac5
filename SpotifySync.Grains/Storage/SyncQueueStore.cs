using Npgsql;
using NpgsqlTypes;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Storage;

/// <summary>Write-through copy of the coordinator's queue (<c>sync_queue</c>), read back when it activates.</summary>
public sealed class SyncQueueStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<SyncQueueEntry>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id, priority, trigger, sort_key, enqueued_at, sync_id FROM sync_queue ORDER BY priority, sort_key");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<SyncQueueEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new SyncQueueEntry(
                reader.GetString(0),
                (SyncPriority)reader.GetInt16(1),
                Enum.TryParse<SyncTrigger>(reader.GetString(2), out var trigger) ? trigger : SyncTrigger.Scheduled,
                reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                // Rows queued before sync ids existed get one now: nobody can be waiting on them.
                reader.IsDBNull(5) ? Guid.CreateVersion7() : reader.GetGuid(5)));
        }
        return entries;
    }

    /// <summary>Upserts and deletes in one round trip (one batch, one implicit transaction).</summary>
    public async Task ApplyAsync(IReadOnlyCollection<SyncQueueEntry> upserts, IReadOnlyCollection<string> deletes, CancellationToken cancellationToken)
    {
        if (upserts.Count == 0 && deletes.Count == 0)
        {
            return;
        }
        await using var batch = dataSource.CreateBatch();
        if (upserts.Count > 0)
        {
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO sync_queue (user_id, priority, trigger, sort_key, enqueued_at, sync_id)
                SELECT * FROM unnest($1, $2, $3, $4, $5, $6)
                ON CONFLICT (user_id) DO UPDATE SET
                    priority = EXCLUDED.priority, trigger = EXCLUDED.trigger, sort_key = EXCLUDED.sort_key, sync_id = EXCLUDED.sync_id
                """);
            var p = upsert.Parameters;
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = upserts.Select(e => e.UserId).ToArray() });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint, Value = upserts.Select(e => (short)e.Priority).ToArray() });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = upserts.Select(e => e.Trigger.ToString()).ToArray() });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = upserts.Select(e => e.SortKey).ToArray() });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = upserts.Select(e => e.EnqueuedAt.ToUniversalTime()).ToArray() });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = upserts.Select(e => e.SyncId).ToArray() });
            batch.BatchCommands.Add(upsert);
        }
        if (deletes.Count > 0)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM sync_queue WHERE user_id = ANY($1)");
            delete.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = deletes.ToArray() });
            batch.BatchCommands.Add(delete);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
