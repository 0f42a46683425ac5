using Npgsql;
using NpgsqlTypes;

namespace SpotifySync.Grains.Storage;

/// <summary>Reads and writes <c>spotify_users</c>. Writes carry the version they were based on.</summary>
public sealed class SpotifyUserStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        user_id, state, refresh_token_encrypted, access_token_encrypted, access_token_expires_at, scope,
        authorized_at, reconnect_reason, latest_played_at, schedule_anchor, last_sync_started_at,
        last_sync_completed_at, last_sync_outcome, last_sync_error, last_sync_trigger, last_sync_tracks,
        consecutive_failures, total_tracks, total_syncs, gaps_detected, last_gap_from, last_gap_to,
        expiry_warning_days, last_sync_id, quarantined_at, token_key_id, next_sync_due_at, version
        """;

    // Positional parameters, in the order of Columns (AddParameters adds them so), the expected version last: Npgsql
    // sends such a statement as it is, where named ones make it parse and rewrite the SQL on every execution (with the
    // listening insert, 3% of the silos' CPU per sync).
    private const string InsertRow = $"""
        INSERT INTO spotify_users ({Columns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
                $24, $25, $26, $27, $28 + 1)

        """;

    private const string InsertIfAbsentSql = InsertRow + "ON CONFLICT (user_id) DO NOTHING";

    // One statement for insert and update: a new row is inserted at version 1 only when none exists
    // (expected version 0); an existing row is updated only when it is still at the expected version.
    private const string UpsertSql = InsertRow + """
        ON CONFLICT (user_id) DO UPDATE SET
            state = EXCLUDED.state,
            refresh_token_encrypted = EXCLUDED.refresh_token_encrypted,
            access_token_encrypted = EXCLUDED.access_token_encrypted,
            access_token_expires_at = EXCLUDED.access_token_expires_at,
            scope = EXCLUDED.scope,
            authorized_at = EXCLUDED.authorized_at,
            reconnect_reason = EXCLUDED.reconnect_reason,
            latest_played_at = EXCLUDED.latest_played_at,
            schedule_anchor = EXCLUDED.schedule_anchor,
            last_sync_started_at = EXCLUDED.last_sync_started_at,
            last_sync_completed_at = EXCLUDED.last_sync_completed_at,
            last_sync_outcome = EXCLUDED.last_sync_outcome,
            last_sync_error = EXCLUDED.last_sync_error,
            last_sync_trigger = EXCLUDED.last_sync_trigger,
            last_sync_tracks = EXCLUDED.last_sync_tracks,
            consecutive_failures = EXCLUDED.consecutive_failures,
            total_tracks = EXCLUDED.total_tracks,
            total_syncs = EXCLUDED.total_syncs,
            gaps_detected = EXCLUDED.gaps_detected,
            last_gap_from = EXCLUDED.last_gap_from,
            last_gap_to = EXCLUDED.last_gap_to,
            expiry_warning_days = EXCLUDED.expiry_warning_days,
            last_sync_id = EXCLUDED.last_sync_id,
            quarantined_at = EXCLUDED.quarantined_at,
            token_key_id = EXCLUDED.token_key_id,
            next_sync_due_at = EXCLUDED.next_sync_due_at,
            version = EXCLUDED.version,
            updated_at = now()
        WHERE spotify_users.version = $28
        """;

    private readonly InsertBatches<SpotifyUserRecord> _firstRows = new(dataSource, InsertIfAbsent);

    public async Task<SpotifyUserRecord?> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM spotify_users WHERE user_id = @user_id");
        command.Parameters.AddWithValue("user_id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Stores <paramref name="record"/> if the row is still at <c>record.Version</c>; returns it at its new version.</summary>
    public async Task<SpotifyUserRecord> SaveAsync(SpotifyUserRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await SaveAsync(connection, null, record, cancellationToken);
    }

    internal static async Task<SpotifyUserRecord> SaveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, SpotifyUserRecord record, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpsertSql, connection, transaction);
        AddParameters(command.Parameters, record);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new ConcurrencyConflictException(record.UserId, record.Version);
        }
        return record with { Version = record.Version + 1 };
    }

    /// <summary>
    /// Inserts a new user's first row (at version 1), unless the user already has one: then nothing is written and
    /// null comes back. A first connect needs one round trip this way, not a read that finds nothing and then a write,
    /// and the first connects that arrive together share it (<see cref="InsertBatches{T}"/>).
    /// </summary>
    public async Task<SpotifyUserRecord?> TryInsertAsync(SpotifyUserRecord record, CancellationToken cancellationToken)
    {
        if (record.Version != 0)
        {
            throw new ArgumentException("Only a row that was never stored (version 0) can be inserted.", nameof(record));
        }
        return await _firstRows.InsertAsync(record, cancellationToken) ? record with { Version = 1 } : null;
    }

    private static NpgsqlBatchCommand InsertIfAbsent(SpotifyUserRecord record)
    {
        var command = new NpgsqlBatchCommand(InsertIfAbsentSql);
        AddParameters(command.Parameters, record);
        return command;
    }

    /// <summary>The row's values in the order of <c>Columns</c>, then the expected version: InsertRow's positional parameters.</summary>
    private static void AddParameters(NpgsqlParameterCollection p, SpotifyUserRecord record)
    {
        p.Add(Text(record.UserId));
        p.Add(Text(record.State));
        p.Add(Text(record.RefreshTokenEncrypted));
        p.Add(Text(record.AccessTokenEncrypted));
        p.Add(Time(record.AccessTokenExpiresAt));
        p.Add(Text(record.Scope));
        p.Add(Time(record.AuthorizedAt));
        p.Add(Text(record.ReconnectReason));
        p.Add(Time(record.LatestPlayedAt));
        p.Add(Time(record.ScheduleAnchor));
        p.Add(Time(record.LastSyncStartedAt));
        p.Add(Time(record.LastSyncCompletedAt));
        p.Add(Text(record.LastSyncOutcome));
        p.Add(Text(record.LastSyncError));
        p.Add(Text(record.LastSyncTrigger));
        p.Add(Integer(record.LastSyncTracks));
        p.Add(Integer(record.ConsecutiveFailures));
        p.Add(BigInteger(record.TotalTracks));
        p.Add(BigInteger(record.TotalSyncs));
        p.Add(Integer(record.GapsDetected));
        p.Add(Time(record.LastGapFrom));
        p.Add(Time(record.LastGapTo));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)record.ExpiryWarningDays ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)record.LastSyncId ?? DBNull.Value });
        p.Add(Time(record.QuarantinedAt));
        p.Add(Text(record.TokenKeyId));
        p.Add(Time(record.NextSyncDueAt));
        p.Add(BigInteger(record.Version));
    }

    /// <summary>The directory that sync-all reads.</summary>
    public async Task<IReadOnlyList<string>> ListActiveUserIdsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id FROM spotify_users WHERE state = 'active' ORDER BY user_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>
    /// Active users whose next due time (<c>MissedSchedule.NextDue</c>) is before <paramref name="dueBefore"/>, most
    /// overdue first: the rule of <c>MissedSchedule.IsOverdue</c>, which each user's grain applies again to its own row.
    /// Index range reads (migration 0011), not a scan of the table; the second part covers rows written before
    /// <c>next_sync_due_at</c> existed, and is empty once each of them has synced again.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListOverdueUserIdsAsync(
        DateTimeOffset dueBefore, TimeSpan interval, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT user_id
            FROM (
                (SELECT user_id, next_sync_due_at AS due
                 FROM spotify_users
                 WHERE state = 'active' AND next_sync_due_at < @due_before
                 ORDER BY next_sync_due_at
                 LIMIT @limit)
                UNION ALL
                (SELECT user_id, COALESCE(last_sync_started_at + @interval, schedule_anchor)
                 FROM spotify_users
                 WHERE state = 'active' AND next_sync_due_at IS NULL
                   AND COALESCE(last_sync_started_at + @interval, schedule_anchor) < @due_before
                 ORDER BY 2
                 LIMIT @limit)
            ) AS overdue
            ORDER BY due, user_id
            LIMIT @limit
            """);
        command.Parameters.Add(Time("due_before", dueBefore));
        command.Parameters.AddWithValue("interval", interval);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>Users whose tokens are quarantined (see <see cref="SpotifyUserStates.Quarantined"/>), oldest refusal first.</summary>
    public async Task<IReadOnlyList<string>> ListQuarantinedUserIdsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id FROM spotify_users WHERE state = 'quarantined' ORDER BY quarantined_at, user_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>Active users whose refresh token (six months after authorisation) expires before <paramref name="before"/>, soonest first.</summary>
    public async Task<IReadOnlyList<(string UserId, DateTimeOffset ExpiresAt)>> ListExpiringAsync(
        DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT user_id, authorized_at + interval '6 months' AS expires_at
            FROM spotify_users
            -- The first bound lets the partial index on authorized_at pick the candidates (a few days wider, for month
            -- arithmetic); the second is the exact rule.
            WHERE state = 'active'
              AND authorized_at <= @before - interval '6 months' + interval '3 days'
              AND authorized_at + interval '6 months' <= @before
            ORDER BY authorized_at
            LIMIT @limit
            """);
        command.Parameters.Add(Time("before", before));
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<(string, DateTimeOffset)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }
        return users;
    }

    private static SpotifyUserRecord Read(NpgsqlDataReader r) => new()
    {
        UserId = r.GetString(0),
        State = r.GetString(1),
        RefreshTokenEncrypted = NullableString(r, 2),
        AccessTokenEncrypted = NullableString(r, 3),
        AccessTokenExpiresAt = NullableTime(r, 4),
        Scope = NullableString(r, 5),
        AuthorizedAt = NullableTime(r, 6),
        ReconnectReason = NullableString(r, 7),
        LatestPlayedAt = NullableTime(r, 8),
        ScheduleAnchor = NullableTime(r, 9),
        LastSyncStartedAt = NullableTime(r, 10),
        LastSyncCompletedAt = NullableTime(r, 11),
        LastSyncOutcome = NullableString(r, 12),
        LastSyncError = NullableString(r, 13),
        LastSyncTrigger = NullableString(r, 14),
        LastSyncTracks = r.GetInt32(15),
        ConsecutiveFailures = r.GetInt32(16),
        TotalTracks = r.GetInt64(17),
        TotalSyncs = r.GetInt64(18),
        GapsDetected = r.GetInt32(19),
        LastGapFrom = NullableTime(r, 20),
        LastGapTo = NullableTime(r, 21),
        ExpiryWarningDays = r.IsDBNull(22) ? null : r.GetInt32(22),
        LastSyncId = r.IsDBNull(23) ? null : r.GetGuid(23),
        QuarantinedAt = NullableTime(r, 24),
        TokenKeyId = NullableString(r, 25),
        NextSyncDueAt = NullableTime(r, 26),
        Version = r.GetInt64(27),
    };

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) =>
        r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };

    // Unnamed, so positional: see InsertRow.
    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };

    private static NpgsqlParameter<int> Integer(int value) => new() { TypedValue = value };

    private static NpgsqlParameter<long> BigInteger(long value) => new() { TypedValue = value };
}
