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

    public async Task UpsertAsync(IReadOnlyCollection<SyncQueueEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO sync_queue (user_id, priority, trigger, sort_key, enqueued_at, sync_id)
            SELECT * FROM unnest(@user_ids, @priorities, @triggers, @sort_keys, @enqueued_ats, @sync_ids)
            ON CONFLICT (user_id) DO UPDATE SET
                priority = EXCLUDED.priority, trigger = EXCLUDED.trigger, sort_key = EXCLUDED.sort_key, sync_id = EXCLUDED.sync_id
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("user_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = entries.Select(e => e.UserId).ToArray() });
        p.Add(new NpgsqlParameter("priorities", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = entries.Select(e => (short)e.Priority).ToArray() });
        p.Add(new NpgsqlParameter("triggers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = entries.Select(e => e.Trigger.ToString()).ToArray() });
        p.Add(new NpgsqlParameter("sort_keys", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = entries.Select(e => e.SortKey).ToArray() });
        p.Add(new NpgsqlParameter("enqueued_ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = entries.Select(e => e.EnqueuedAt.ToUniversalTime()).ToArray() });
        p.Add(new NpgsqlParameter("sync_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = entries.Select(e => e.SyncId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes dispatched users in one round trip.</summary>
    public async Task DeleteAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM sync_queue WHERE user_id = ANY(@user_ids)");
        command.Parameters.Add(new NpgsqlParameter("user_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = userIds.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
