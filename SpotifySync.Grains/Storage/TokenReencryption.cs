using Microsoft.Extensions.Logging;
using Npgsql;
using SpotifySync.Grains.Security;

namespace SpotifySync.Grains.Storage;

/// <summary>
/// Moves every row's tokens to the current key (after a key rotation), in batches of one transaction each, in
/// <c>user_id</c> order. Resumable: it only ever looks for rows not on the current key, so a run stopped anywhere is
/// finished by running it again. Safe while the cluster runs: each row is updated only if it is still at the version
/// read (optimistic, like the grains' own writes) and its version moves on, so a grain's concurrent write is never
/// overwritten; that grain's next save meets the new version, reloads the row and lays its copy over it
/// (<see cref="SpotifyUserRecord.RebasedOn"/>), on the current key as every grain write is.
/// </summary>
public sealed partial class TokenReencryption(NpgsqlDataSource dataSource, TokenProtector tokens, ILogger<TokenReencryption> logger)
{
    private const string NotOnCurrentKey = """
        token_key_id IS DISTINCT FROM @current
        AND (refresh_token_encrypted IS NOT NULL OR access_token_encrypted IS NOT NULL)
        """;

    /// <param name="maxBatches">Stop after this many batches (null: until done); what is left is found by the next run.</param>
    public async Task<TokenReencryptionResult> RunAsync(int batchSize, int? maxBatches, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var after = "";
        var (moved, changedMeanwhile, batches) = (0, 0, 0);
        while (maxBatches is null || batches < maxBatches)
        {
            var rows = await NextBatchAsync(after, batchSize, cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var row in rows)
            {
                if (await MoveAsync(connection, transaction, row, cancellationToken))
                {
                    moved++;
                }
                else
                {
                    changedMeanwhile++;
                }
            }
            await transaction.CommitAsync(cancellationToken);
            batches++;
            after = rows[^1].UserId;
            LogBatch(batches, rows.Count, moved, tokens.CurrentKeyId);
        }
        var remaining = await CountRemainingAsync(cancellationToken);
        LogDone(moved, changedMeanwhile, remaining, tokens.CurrentKeyId);
        return new TokenReencryptionResult(moved, changedMeanwhile, remaining);
    }

    private async Task<List<StoredTokens>> NextBatchAsync(string after, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT user_id, refresh_token_encrypted, access_token_encrypted, version
            FROM spotify_users
            WHERE {NotOnCurrentKey} AND user_id > @after
            ORDER BY user_id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("current", tokens.CurrentKeyId);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", batchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StoredTokens>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredTokens(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3)));
        }
        return rows;
    }

    /// <summary>False when the row moved on since it was read (a grain wrote it): left to that write, or the next run.</summary>
    private async Task<bool> MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredTokens row, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE spotify_users
            SET refresh_token_encrypted = @refresh, access_token_encrypted = @access, token_key_id = @current,
                version = version + 1, updated_at = now()
            WHERE user_id = @user_id AND version = @version
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("refresh", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)tokens.ToCurrentKey(row.Refresh, row.UserId) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("access", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)tokens.ToCurrentKey(row.Access, row.UserId) ?? DBNull.Value });
        command.Parameters.AddWithValue("current", tokens.CurrentKeyId);
        command.Parameters.AddWithValue("user_id", row.UserId);
        command.Parameters.AddWithValue("version", row.Version);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<long> CountRemainingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM spotify_users WHERE {NotOnCurrentKey}");
        command.Parameters.AddWithValue("current", tokens.CurrentKeyId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed record StoredTokens(string UserId, string? Refresh, string? Access, long Version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encryption batch {Batch}: {Rows} rows read, {Moved} moved to key {KeyId} so far")]
    private partial void LogBatch(int batch, int rows, int moved, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encryption to key {KeyId}: {Moved} rows moved, {ChangedMeanwhile} written by their grain meanwhile, {Remaining} rows not on the key yet")]
    private partial void LogDone(int moved, int changedMeanwhile, long remaining, string keyId);
}

/// <summary>What a run of <see cref="TokenReencryption"/> did; <see cref="Remaining"/> &gt; 0: run it again.</summary>
public sealed record TokenReencryptionResult(int Moved, int ChangedMeanwhile, long Remaining);
