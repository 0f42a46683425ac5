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

    public async Task InitializeAsync() => _dataSource = await postgres.CreateMigratedDatabaseAsync("overdue");

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Finds_the_overdue_active_users_most_overdue_first_and_no_one_else()
    {
        var store = new SpotifyUserStore(_dataSource);
        var anchor = Now - TimeSpan.FromDays(1);
        (string Id, string State, DateTimeOffset? NextDue, DateTimeOffset? Started, DateTimeOffset? Anchor)[] users =
        [
            ("due-later", SpotifyUserStates.Active, Now + TimeSpan.FromMinutes(20), Now - TimeSpan.FromMinutes(40), anchor),
            ("due-within-grace", SpotifyUserStates.Active, Now - TimeSpan.FromSeconds(30), Now - TimeSpan.FromMinutes(80), anchor),
            ("due-3h-ago", SpotifyUserStates.Active, Now - TimeSpan.FromHours(3), Now - TimeSpan.FromHours(3.5), anchor),
            // Synced by hand 10 minutes ago, its tick 2 minutes ago never came: overdue although it synced lately.
            ("manual-then-skipped", SpotifyUserStates.Active, Now - TimeSpan.FromMinutes(2), Now - TimeSpan.FromMinutes(10), anchor),
            // Rows written before next_sync_due_at: an interval after the last start, or the anchor.
            ("legacy-overdue", SpotifyUserStates.Active, null, Now - Interval - TimeSpan.FromMinutes(30), anchor),
            ("legacy-on-time", SpotifyUserStates.Active, null, Now - TimeSpan.FromMinutes(10), anchor),
            ("legacy-never-due-90m-ago", SpotifyUserStates.Active, null, null, Now - TimeSpan.FromMinutes(90)),
            ("legacy-never-due-later", SpotifyUserStates.Active, null, null, Now + TimeSpan.FromMinutes(20)),
            ("legacy-no-anchor", SpotifyUserStates.Active, null, null, null),
            ("reconnect", SpotifyUserStates.NeedsReconnect, null, Now - TimeSpan.FromHours(5), null),
        ];
        foreach (var (id, state, nextDue, started, userAnchor) in users)
        {
            await store.SaveAsync(new SpotifyUserRecord
            {
                UserId = id,
                State = state,
                RefreshTokenEncrypted = state == SpotifyUserStates.Active ? "x" : null,
                NextSyncDueAt = nextDue,
                LastSyncStartedAt = started,
                ScheduleAnchor = userAnchor,
            }, default);
        }

        var dueBefore = MissedSchedule.DueBefore(Now, Grace);
        var overdue = await store.ListOverdueUserIdsAsync(dueBefore, Interval, limit: 10, default);

        Assert.Equal(["due-3h-ago", "legacy-never-due-90m-ago", "legacy-overdue", "manual-then-skipped"], overdue);
        var expected = users
            .Where(u => u.State == SpotifyUserStates.Active && MissedSchedule.IsOverdue(MissedSchedule.NextDue(u.NextDue, u.Started, u.Anchor, Interval), Grace, Now))
            .Select(u => u.Id).Order();
        Assert.Equal(expected, overdue.Order());
        Assert.Equal(["due-3h-ago", "legacy-never-due-90m-ago"], await store.ListOverdueUserIdsAsync(dueBefore, Interval, limit: 2, default));
    }
}
