using Npgsql;

namespace SpotifySync.Grains.Storage;

/// <summary>
/// The dispatch lease in <c>coordinator_lease</c> (one row). Taking and renewing are one statement that succeeds only
/// for the current holder or once the lease has expired by PostgreSQL's clock.
/// </summary>
public sealed class CoordinatorLeaseStore(NpgsqlDataSource dataSource)
{
    /// <summary>Takes or renews the lease for <paramref name="holder"/>; null when another holder's lease still runs.</summary>
    public async Task<LeaseHolder?> TryTakeAsync(string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO coordinator_lease (id, holder, expires_at) VALUES (0, @holder, clock_timestamp() + @duration)
            ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                WHERE coordinator_lease.holder = EXCLUDED.holder OR coordinator_lease.expires_at <= clock_timestamp()
            RETURNING holder, expires_at
            """);
        command.Parameters.AddWithValue("holder", holder);
        command.Parameters.AddWithValue("duration", duration);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new LeaseHolder(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>Who holds the lease now, and until when by PostgreSQL's clock; null when nobody ever took it.</summary>
    public async Task<LeaseHolder?> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT holder, expires_at FROM coordinator_lease WHERE id = 0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new LeaseHolder(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>Gives the lease up (a graceful deactivation), so the next activation need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM coordinator_lease WHERE id = 0 AND holder = @holder");
        command.Parameters.AddWithValue("holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A lease holder and the expiry PostgreSQL gave it.</summary>
public sealed record LeaseHolder(string Holder, DateTimeOffset ExpiresAt);
