using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SpotifySync.Grains.Storage;

/// <summary>
/// Creates <c>listening_data</c>'s monthly partitions ahead of time (UTC months, named
/// <c>listening_data_yYYYYmMM</c>), so an insert never finds its month missing. Every silo runs it at start and
/// periodically; an advisory lock makes concurrent runs take turns, and months already covered are skipped.
/// </summary>
public sealed partial class ListeningDataPartitions(NpgsqlDataSource dataSource, TimeProvider time, ILogger<ListeningDataPartitions> logger)
{
    private const long AdvisoryLockKey = 0x5350_4C49_5441_5254; // "SPLITART"

    /// <summary>Makes sure every month up to <paramref name="monthsAhead"/> after the current one has a partition; returns how many it created.</summary>
    public async Task<int> EnsureAheadAsync(int monthsAhead, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.AddWithValue("key", AdvisoryLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var coveredUntil = await CoveredUntilAsync(connection, transaction, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var thisMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var until = thisMonth.AddMonths(monthsAhead + 1);
        // From the end of the last partition, gaps included (a silo down for months must not leave one behind).
        var month = coveredUntil ?? thisMonth;
        var created = 0;
        while (month < until)
        {
            // Month boundaries; a last partition that ends mid-month (written by hand) is followed up to the boundary.
            var next = new DateTime(month.Year, month.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            var name = PartitionName(month);
            await using var create = new NpgsqlCommand(
                $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF listening_data FOR VALUES FROM ('{month:yyyy-MM-ddTHH:mm:ss.fffffff}Z') TO ('{next:yyyy-MM-dd}T00:00:00Z')",
                connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken);
            LogCreated(name);
            created++;
            month = next;
        }
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public static string PartitionName(DateTime month) =>
        string.Create(CultureInfo.InvariantCulture, $"listening_data_y{month.Year:D4}m{month.Month:D2}");

    /// <summary>The end of the latest partition's range (its upper bound as PostgreSQL prints it), null when none.</summary>
    private static async Task<DateTime?> CoveredUntilAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT max((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'listening_data'::regclass
            """, connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime covered ? DateTime.SpecifyKind(covered, DateTimeKind.Utc) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created partition {Partition} of listening_data")]
    private partial void LogCreated(string partition);
}
