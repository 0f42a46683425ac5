using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Storage;

public sealed class ListeningDataWriterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync() => _dataSource = await postgres.CreateMigratedDatabaseAsync("writer");

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, 123, TimeSpan.Zero);

    private static ListeningRow Play(string userId, string trackId, DateTimeOffset playedAt) =>
        new(userId, "artist-1", trackId, playedAt, "Track " + trackId, "Artist", "album-1", "Album", 180_000, null);

    [Fact]
    public async Task Committing_the_same_page_twice_stores_each_play_once_and_counts_only_new_rows()
    {
        var store = new SpotifyUserStore(_dataSource);
        var writer = new ListeningDataWriter(_dataSource);
        var user = await store.SaveAsync(new SpotifyUserRecord { UserId = "w1", State = SpotifyUserStates.Active, RefreshTokenEncrypted = "x" }, default);
        ListeningRow[] page = [Play("w1", "a", T0), Play("w1", "b", T0.AddMinutes(-4)), Play("w1", "a", T0.AddMinutes(-8))];

        user = await writer.CommitAsync(user, page, DateTimeOffset.UtcNow, default);
        Assert.Equal(3, user.LastSyncTracks);

        ListeningRow[] overlapping = [Play("w1", "c", T0.AddMinutes(4)), .. page];
        user = await writer.CommitAsync(user, overlapping, DateTimeOffset.UtcNow, default);

        Assert.Equal(1, user.LastSyncTracks);
        Assert.Equal(4, user.TotalTracks);
        Assert.Equal(4, await new ListeningDatabase(_dataSource).CountAsync("w1"));
        Assert.Equal(user, await store.LoadAsync("w1", default));
    }

    [Fact]
    public async Task Racing_commits_from_the_same_state_write_once_and_the_loser_changes_nothing()
    {
        var store = new SpotifyUserStore(_dataSource);
        var writer = new ListeningDataWriter(_dataSource);
        var user = await store.SaveAsync(new SpotifyUserRecord { UserId = "w2", State = SpotifyUserStates.Active, RefreshTokenEncrypted = "x" }, default);
        var pages = Enumerable.Range(0, 8)
            .Select(i => (IReadOnlyList<ListeningRow>)[Play("w2", "shared", T0), Play("w2", $"own-{i}", T0.AddSeconds(i + 1))])
            .ToList();

        var results = await Task.WhenAll(pages.Select(async p =>
        {
            try
            {
                await writer.CommitAsync(user, p, DateTimeOffset.UtcNow, default);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }));

        Assert.Equal(1, results.Count(ok => ok));
        Assert.Equal(2, await new ListeningDatabase(_dataSource).CountAsync("w2"));
        Assert.Equal(0, await new ListeningDatabase(_dataSource).DuplicateRowGroupsAsync());
    }

    [Fact]
    public async Task A_new_user_row_is_only_inserted_once()
    {
        var store = new SpotifyUserStore(_dataSource);
        var fresh = new SpotifyUserRecord { UserId = "w3", State = SpotifyUserStates.Active, RefreshTokenEncrypted = "x" };
        await store.SaveAsync(fresh, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(fresh, default));
    }

    [Fact]
    public async Task Migrations_apply_once_even_when_several_silos_start_together()
    {
        var connectionString = await postgres.CreateDatabaseAsync("migrate_race");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default)));

        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Count, applied.Sum());
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM orleansquery");
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 16);
    }
}
