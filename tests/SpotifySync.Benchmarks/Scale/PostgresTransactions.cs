using Npgsql;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// Transactions PostgreSQL finished in the benchmark's database (<c>pg_stat_database</c>: commits and rollbacks, every
/// client's). Backends publish their counts about once a second while busy, so a difference over a window of a minute or
/// more is right to a few percent; the window also counts what ran meanwhile (paced syncs, Orleans' own tables).
/// <see cref="Sessions"/>: connections opened (a pool that keeps its connections opens none).
/// </summary>
internal readonly record struct PostgresTransactions(long Count, long Sessions)
{
    public static async Task<PostgresTransactions> ReadAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT xact_commit + xact_rollback, sessions FROM pg_stat_database WHERE datname = current_database()");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PostgresTransactions(reader.GetInt64(0), reader.GetInt64(1));
    }

    public static PostgresTransactions operator -(PostgresTransactions after, PostgresTransactions before) => new(after.Count - before.Count, after.Sessions - before.Sessions);
}
