using Npgsql;
using NpgsqlTypes;

namespace SpotifySync.Grains.Storage;

/// <summary>
/// Commits one sync: the plays and the user's new cursor and counters in a single transaction, so a crash
/// leaves either both or neither, and a redo is harmless (the play key makes repeated rows no-ops).
/// </summary>
public sealed class ListeningDataWriter(NpgsqlDataSource dataSource)
{
    // One round trip for the whole page: unnest the column arrays instead of one INSERT per play. Positional parameters
    // (in InsertAsync's order), which Npgsql sends as they are: named ones are parsed and rewritten on every execution.
    private const string InsertSql = """
        INSERT INTO listening_data
            (user_id, artist_id, track_id, played_at, track_name, artist_name, album_id, album_name, duration_ms, context_uri, synced_at)
        SELECT $1, p.artist_id, p.track_id, p.played_at, p.track_name, p.artist_name, p.album_id, p.album_name, p.duration_ms, p.context_uri, $2
        FROM unnest($3, $4, $5, $6, $7, $8, $9, $10, $11)
            AS p(artist_id, track_id, played_at, track_name, artist_name, album_id, album_name, duration_ms, context_uri)
        ON CONFLICT (user_id, artist_id, track_id, played_at) DO NOTHING
        """;

    /// <summary>
    /// Inserts <paramref name="rows"/> and saves <paramref name="user"/> (with <c>LastSyncTracks</c> and
    /// <c>TotalTracks</c> set from the rows actually inserted). Returns the saved record.
    /// </summary>
    public async Task<SpotifyUserRecord> CommitAsync(
        SpotifyUserRecord user, IReadOnlyList<ListeningRow> rows, DateTimeOffset syncedAt, CancellationToken cancellationToken,
        ListeningGap? gap = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = rows.Count == 0 ? 0 : await InsertAsync(connection, transaction, user.UserId, rows, syncedAt, cancellationToken);
        if (gap is not null)
        {
            await using var record = new NpgsqlCommand(
                "INSERT INTO listening_gaps (user_id, gap_from, gap_to, detected_at) VALUES (@user_id, @from, @to, @at)", connection, transaction);
            record.Parameters.AddWithValue("user_id", user.UserId);
            record.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = gap.From.ToUniversalTime() });
            record.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = gap.To.ToUniversalTime() });
            record.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = syncedAt.ToUniversalTime() });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        var saved = await SpotifyUserStore.SaveAsync(
            connection,
            transaction,
            user with { LastSyncTracks = inserted, TotalTracks = user.TotalTracks + inserted },
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    private static async Task<int> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, IReadOnlyList<ListeningRow> rows,
        DateTimeOffset syncedAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = userId });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = syncedAt.ToUniversalTime() });
        p.Add(TextArray(rows.Select(r => r.ArtistId)));
        p.Add(TextArray(rows.Select(r => r.TrackId)));
        p.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
            Value = rows.Select(r => r.PlayedAt.ToUniversalTime()).ToArray(),
        });
        p.Add(TextArray(rows.Select(r => r.TrackName)));
        p.Add(TextArray(rows.Select(r => r.ArtistName)));
        p.Add(TextArray(rows.Select(r => r.AlbumId)));
        p.Add(TextArray(rows.Select(r => r.AlbumName)));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = rows.Select(r => r.DurationMs).ToArray() });
        p.Add(TextArray(rows.Select(r => r.ContextUri)));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.ToArray() };
}
