using Npgsql;
using NpgsqlTypes;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Storage;

/// <summary>The coordinator's pause in <c>coordinator_pause</c> (one row), read back when the coordinator activates.</summary>
public sealed class DispatchPauseStore(NpgsqlDataSource dataSource)
{
    public async Task<StoredPause?> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT paused_until, kind, reason, throttles_in_a_row FROM coordinator_pause WHERE id = 0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new StoredPause(
            reader.GetFieldValue<DateTimeOffset>(0),
            DispatchPauseKindNames.Parse(reader.GetString(1)),
            reader.GetString(2),
            reader.GetInt32(3));
    }

    public async Task SaveAsync(StoredPause pause, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO coordinator_pause (id, paused_until, kind, reason, throttles_in_a_row)
            VALUES (0, @until, @kind, @reason, @in_a_row)
            ON CONFLICT (id) DO UPDATE SET paused_until = EXCLUDED.paused_until, kind = EXCLUDED.kind,
                reason = EXCLUDED.reason, throttles_in_a_row = EXCLUDED.throttles_in_a_row
            """);
        command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = pause.Until.ToUniversalTime() });
        command.Parameters.AddWithValue("kind", pause.Kind.ToWireName());
        command.Parameters.AddWithValue("reason", pause.Reason);
        command.Parameters.AddWithValue("in_a_row", pause.ThrottlesInARow);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A pause as stored: until when, why, and how many 429s without Retry-After came in a row (the doubling).</summary>
public sealed record StoredPause(DateTimeOffset Until, DispatchPauseKind Kind, string Reason, int ThrottlesInARow);
