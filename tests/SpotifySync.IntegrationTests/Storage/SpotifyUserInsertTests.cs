using Npgsql;
using SpotifySync.Grains.Storage;
using SpotifySync.Grains.Users;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Storage;

/// <summary>A first connect inserts the user's row without reading it first: it must never overwrite a row that exists.</summary>
public sealed class SpotifyUserInsertTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync() => _dataSource = await postgres.CreateMigratedDatabaseAsync("first_insert");

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task A_new_users_row_is_inserted_at_version_1_and_an_existing_one_is_left_as_it_is()
    {
        var store = new SpotifyUserStore(_dataSource);
        var fresh = new SpotifyUserRecord { UserId = "new-user", State = SpotifyUserStates.Active, RefreshTokenEncrypted = "first" };

        var inserted = await store.TryInsertAsync(fresh, default);
        var again = await store.TryInsertAsync(fresh with { RefreshTokenEncrypted = "second", TotalTracks = 0 }, default);

        Assert.Equal(1, inserted!.Version);
        Assert.Null(again);
        var stored = await store.LoadAsync("new-user", default);
        Assert.Equal("first", stored!.RefreshTokenEncrypted);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task A_row_that_moved_on_keeps_its_history_when_a_first_insert_meets_it()
    {
        var store = new SpotifyUserStore(_dataSource);
        var synced = await store.SaveAsync(new SpotifyUserRecord
        {
            UserId = "synced-user",
            State = SpotifyUserStates.Disconnected,
            TotalTracks = 120,
            TotalSyncs = 7,
            LatestPlayedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        }, default);

        Assert.Null(await store.TryInsertAsync(new SpotifyUserRecord { UserId = "synced-user", State = SpotifyUserStates.Active, RefreshTokenEncrypted = "x" }, default));

        Assert.Equal(synced, await store.LoadAsync("synced-user", default));
    }

    [Fact]
    public async Task Only_a_row_never_stored_can_be_inserted()
    {
        var store = new SpotifyUserStore(_dataSource);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.TryInsertAsync(new SpotifyUserRecord { UserId = "u", State = SpotifyUserStates.Active, Version = 3 }, default));
    }
}
