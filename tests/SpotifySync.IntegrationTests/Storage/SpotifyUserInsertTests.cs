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
    public async Task First_connects_that_arrive_together_each_learn_whether_they_inserted()
    {
        var store = new SpotifyUserStore(_dataSource);
        for (var i = 0; i < 200; i += 4)
        {
            await store.SaveAsync(new SpotifyUserRecord { UserId = $"together-{i:D3}", State = SpotifyUserStates.Disconnected, TotalSyncs = 5 }, default);
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            store.TryInsertAsync(new SpotifyUserRecord { UserId = $"together-{i:D3}", State = SpotifyUserStates.Active, RefreshTokenEncrypted = "t" }, default)));

        for (var i = 0; i < 200; i++)
        {
            var stored = await store.LoadAsync($"together-{i:D3}", default);
            if (i % 4 == 0)
            {
                Assert.Null(answers[i]);
                Assert.Equal((SpotifyUserStates.Disconnected, 5L), (stored!.State, stored.TotalSyncs));
            }
            else
            {
                Assert.Equal(1, answers[i]!.Version);
                Assert.Equal(answers[i], stored);
            }
        }
    }

    [Fact]
    public async Task Inserts_that_arrive_together_share_round_trips()
    {
        var inserts = new InsertBatches<SpotifyUserRecord>(_dataSource, Insert);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => inserts.InsertAsync(User($"shared-{i:D3}"), default)));

        Assert.All(answers, Assert.True);
        Assert.InRange(inserts.RoundTrips, 1, 199);
    }

    [Fact]
    public async Task A_first_row_postgresql_refuses_fails_alone_and_the_rest_of_its_batch_is_inserted()
    {
        var inserts = new InsertBatches<SpotifyUserRecord>(_dataSource, Insert);

        // The table's check refuses a state it does not know.
        var attempts = Enumerable.Range(0, 50)
            .Select(i => inserts.InsertAsync(User($"batch-mate-{i:D2}") with { State = i == 25 ? "no-such-state" : SpotifyUserStates.Active }, default))
            .ToArray();

        await Assert.ThrowsAsync<PostgresException>(() => attempts[25]);
        Assert.All(await Task.WhenAll(attempts.Where((_, i) => i != 25)), Assert.True);
        await using var count = _dataSource.CreateCommand("SELECT count(*) FROM spotify_users WHERE user_id LIKE 'batch-mate-%'");
        Assert.Equal(49L, await count.ExecuteScalarAsync());
    }

    private static SpotifyUserRecord User(string userId) =>
        new() { UserId = userId, State = SpotifyUserStates.Active, RefreshTokenEncrypted = "t", Version = 1 };

    /// <summary>The store's own statement is private; this one inserts the columns a test needs, the same way.</summary>
    private static NpgsqlBatchCommand Insert(SpotifyUserRecord record)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO spotify_users (user_id, state, refresh_token_encrypted, version)
            VALUES (@user_id, @state, @refresh_token_encrypted, @version)
            ON CONFLICT (user_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("user_id", record.UserId);
        command.Parameters.AddWithValue("state", record.State);
        command.Parameters.AddWithValue("refresh_token_encrypted", record.RefreshTokenEncrypted!);
        command.Parameters.AddWithValue("version", record.Version);
        return command;
    }

    [Fact]
    public async Task Only_a_row_never_stored_can_be_inserted()
    {
        var store = new SpotifyUserStore(_dataSource);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.TryInsertAsync(new SpotifyUserRecord { UserId = "u", State = SpotifyUserStates.Active, Version = 3 }, default));
    }
}
