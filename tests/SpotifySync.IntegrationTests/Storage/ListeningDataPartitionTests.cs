using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Storage;

/// <summary>listening_data becomes monthly partitions: an existing table converts in place, and months are created ahead.</summary>
public sealed class ListeningDataPartitionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int LastUnpartitionedVersion = 7;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_existing_table_with_plays_converts_without_losing_or_doubling_a_row_and_keeps_its_key()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("partition"));
        var migrator = new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance);
        await migrator.MigrateAsync(LastUnpartitionedVersion, CancellationToken.None);
        // Two years of plays of three users, a play at the very start of a month, and one stored far ahead (an outlier).
        await ExecuteAsync(dataSource, """
            INSERT INTO listening_data (user_id, artist_id, track_id, played_at, track_name, artist_name, duration_ms, synced_at)
            SELECT 'u' || (g % 3), 'a' || (g % 7), 't' || g, timestamptz '2025-01-01 00:00:00+00' + g * interval '7 hours',
                   'Track', 'Artist', 180000, now()
            FROM generate_series(0, 2600) AS g;
            INSERT INTO listening_data (user_id, artist_id, track_id, played_at, track_name, artist_name, duration_ms, synced_at)
            VALUES ('u1', 'a1', 'edge', '2026-11-01 00:00:00+00', 'Edge', 'Artist', 1, now()),
                   ('u2', 'a2', 'outlier', '2027-02-10 12:00:00+00', 'Outlier', 'Artist', 1, now());
            """);
        var before = await FingerprintAsync(dataSource);

        await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(before, await FingerprintAsync(dataSource));
        Assert.Equal(0L, await ScalarAsync<long>(dataSource,
            "SELECT count(*) FROM (SELECT user_id, artist_id, track_id, played_at, COUNT(*) FROM listening_data GROUP BY 1,2,3,4 HAVING COUNT(*) > 1) d"));
        Assert.True(await ScalarAsync<bool>(dataSource, "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'listening_data'::regclass)"));
        Assert.Equal("listening_data_legacy", await ScalarAsync<string>(dataSource,
            "SELECT DISTINCT tableoid::regclass::text FROM listening_data"));
        // The key still holds across the partitioned table: the same play again is a no-op.
        Assert.Equal(0, await ExecuteAsync(dataSource, """
            INSERT INTO listening_data (user_id, artist_id, track_id, played_at, track_name, artist_name, duration_ms, synced_at)
            VALUES ('u1', 'a1', 'edge', '2026-11-01 00:00:00+00', 'Edge', 'Artist', 1, now())
            ON CONFLICT (user_id, artist_id, track_id, played_at) DO NOTHING
            """));
    }

    [Fact]
    public async Task Months_are_created_ahead_from_the_end_of_the_last_partition_and_new_plays_land_in_their_month()
    {
        await using var dataSource = await postgres.CreateMigratedDatabaseAsync("partition");
        var clock = new FakeTimeProvider(Now);
        var partitions = new ListeningDataPartitions(dataSource, clock, NullLogger<ListeningDataPartitions>.Instance);
        // The migration ran in the real present; whatever it covered, months up to three ahead of "now" must exist after.
        await partitions.EnsureAheadAsync(3, CancellationToken.None);
        Assert.Equal(0, await partitions.EnsureAheadAsync(3, CancellationToken.None));

        clock.SetUtcNow(Now.AddMonths(5));
        Assert.True(await partitions.EnsureAheadAsync(3, CancellationToken.None) >= 5);
        var names = await PartitionNamesAsync(dataSource);
        for (var month = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc); month <= new DateTime(2027, 8, 1, 0, 0, 0, DateTimeKind.Utc); month = month.AddMonths(1))
        {
            Assert.Contains(ListeningDataPartitions.PartitionName(month), names);
        }

        var user = await new SpotifyUserStore(dataSource).SaveAsync(
            new SpotifyUserRecord { UserId = "p1", State = SpotifyUserStates.Active, RefreshTokenEncrypted = "x" }, default);
        var writer = new ListeningDataWriter(dataSource);
        ListeningRow[] plays =
        [
            new("p1", "a", "t1", new DateTimeOffset(2027, 3, 31, 23, 59, 59, 999, TimeSpan.Zero), "T", "A", null, null, 1, null),
            new("p1", "a", "t2", new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero), "T", "A", null, null, 1, null),
        ];
        user = await writer.CommitAsync(user, plays, Now, default);
        Assert.Equal(2, user.LastSyncTracks);
        user = await writer.CommitAsync(user, plays, Now, default);
        Assert.Equal(0, user.LastSyncTracks);
        Assert.Equal(["listening_data_y2027m03", "listening_data_y2027m04"], await ListAsync(dataSource,
            "SELECT tableoid::regclass::text FROM listening_data WHERE user_id = 'p1' ORDER BY played_at"));
        // The app's read, as one table.
        Assert.Equal(["t2", "t1"], await ListAsync(dataSource, "SELECT track_id FROM listening_data WHERE user_id = 'p1' ORDER BY played_at DESC"));
    }

    private static Task<List<string>> PartitionNamesAsync(NpgsqlDataSource dataSource) => ListAsync(dataSource,
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'listening_data'::regclass");

    /// <summary>Row count and an order-independent digest of every row's content.</summary>
    private static Task<string> FingerprintAsync(NpgsqlDataSource dataSource) => ScalarAsync<string>(dataSource, """
        SELECT count(*) || ':' || coalesce(sum(hashtext(user_id || artist_id || track_id || played_at::text || track_name || duration_ms::text)::bigint), 0)
        FROM listening_data
        """);

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> ListAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }

    private static async Task<int> ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync();
    }
}
