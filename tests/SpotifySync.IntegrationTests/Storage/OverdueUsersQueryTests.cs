using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Storage;
using SpotifySync.Grains.Users;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Storage;

/// <summary>
/// The missed-sync check's query (<see cref="SpotifyUserStore.ListOverdueUserIdsAsync"/>) must find exactly the users
/// <see cref="MissedSchedule.IsOverdue"/> calls overdue, most overdue first, through its indexes (migration 0011).
/// </summary>
public sealed class OverdueUsersQueryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("overdue"));
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Finds_the_overdue_active_users_most_overdue_first_and_no_one_else()
    {
        var store = new SpotifyUserStore(_dataSource);
        (string Id, string State, DateTimeOffset? Started, DateTimeOffset? Anchor)[] users =
        [
            ("synced-on-time", SpotifyUserStates.Active, Now - Interval + TimeSpan.FromMinutes(5), Now - TimeSpan.FromDays(1)),
            ("within-grace", SpotifyUserStates.Active, Now - Interval - TimeSpan.FromSeconds(30), Now - TimeSpan.FromDays(1)),
            ("overdue-3h", SpotifyUserStates.Active, Now - TimeSpan.FromHours(3), Now - TimeSpan.FromDays(1)),
            ("overdue-2m", SpotifyUserStates.Active, Now - Interval - TimeSpan.FromMinutes(2), Now - TimeSpan.FromDays(1)),
            // Never synced: its first due time is the anchor.
            ("never-due-90m-ago", SpotifyUserStates.Active, null, Now - TimeSpan.FromMinutes(90)),
            ("never-due-30s-ago", SpotifyUserStates.Active, null, Now - TimeSpan.FromSeconds(30)),
            ("never-due-later", SpotifyUserStates.Active, null, Now + TimeSpan.FromMinutes(20)),
            ("never-no-anchor", SpotifyUserStates.Active, null, null),
            ("reconnect-overdue", SpotifyUserStates.NeedsReconnect, Now - TimeSpan.FromHours(5), Now - TimeSpan.FromDays(1)),
        ];
        foreach (var (id, state, started, anchor) in users)
        {
            await store.SaveAsync(new SpotifyUserRecord
            {
                UserId = id,
                State = state,
                RefreshTokenEncrypted = state == SpotifyUserStates.Active ? "x" : null,
                LastSyncStartedAt = started,
                ScheduleAnchor = anchor,
            }, default);
        }

        var startedBefore = MissedSchedule.StartedBefore(Now, Interval, Grace);
        var overdue = await store.ListOverdueUserIdsAsync(startedBefore, Interval, limit: 10, default);

        Assert.Equal(["overdue-3h", "never-due-90m-ago", "overdue-2m"], overdue);
        var expected = users.Where(u => u.State == SpotifyUserStates.Active && MissedSchedule.IsOverdue(u.Started, u.Anchor, Interval, Grace, Now))
            .Select(u => u.Id).Order();
        Assert.Equal(expected, overdue.Order());
        Assert.Equal(["overdue-3h", "never-due-90m-ago"], await store.ListOverdueUserIdsAsync(startedBefore, Interval, limit: 2, default));
    }
}
