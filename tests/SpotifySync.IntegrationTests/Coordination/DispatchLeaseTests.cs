using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;
using Xunit.Abstractions;

namespace SpotifySync.IntegrationTests.Coordination;

/// <summary>
/// Two coordinator activations (as during a membership change) sharing one PostgreSQL: the lease lets only one
/// dispatch at any moment, also when the holder is cut off from the database and cannot know it lost the lease.
/// </summary>
public sealed class DispatchLeaseTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    /// <summary>
    /// Short, so that the test is quick, but not 1 s: a renewal must answer within a tenth of the lease, and on a busy
    /// 2-core CI machine this process was seen stalled for ~0.9 s (no sample taken), which lapsed a 1-s lease of a
    /// holder nobody had cut off. The assertions are all in units of the lease.
    /// </summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private string _connectionString = null!;
    private NpgsqlDataSource _admin = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("lease");
        _admin = NpgsqlDataSource.Create(_connectionString);
        await new SchemaMigrator(_admin, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _admin.DisposeAsync();

    [Fact]
    public async Task A_cut_off_holder_stops_before_the_other_activation_starts_and_the_other_takes_over_within_a_lease()
    {
        // Each activation reaches PostgreSQL as its own role, so one can be cut off while the other still gets through.
        await using var first = await ActivationAsync("coordinator_a");
        await using var second = await ActivationAsync("coordinator_b");
        await first.Keeper.TakeAsync(CancellationToken.None);
        await second.Keeper.TakeAsync(CancellationToken.None);

        var samples = new List<(TimeSpan At, bool First, bool Second)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cutOffAt = Lease + TimeSpan.FromSeconds(1);
        var cutOff = false;
        // Room for the take-over (at most two leases after the cut) and then two leases of the new holder renewing.
        while (clock.Elapsed < cutOffAt + 4 * Lease)
        {
            if (!cutOff && clock.Elapsed >= cutOffAt)
            {
                await CutOffAsync("coordinator_a");
                cutOff = true;
                cutOffAt = clock.Elapsed;
            }
            var now = DateTimeOffset.UtcNow;
            samples.Add((clock.Elapsed, first.Keeper.MayDispatch(now), second.Keeper.MayDispatch(now)));
            await Task.Delay(Step);
        }

        var both = samples.Where(s => s.First && s.Second).ToList();
        var firstStopped = samples.Where(s => s.First).Max(s => s.At);
        var secondStarted = samples.Where(s => s.Second).Min(s => s.At);
        output.WriteLine($"cut off at {cutOffAt.TotalMilliseconds:0} ms; the first holder dispatched until {firstStopped.TotalMilliseconds:0} ms, "
            + $"the second from {secondStarted.TotalMilliseconds:0} ms: gap {(secondStarted - firstStopped).TotalMilliseconds:0} ms, "
            + $"samples where both held: {both.Count} of {samples.Count}");

        Assert.Empty(both);
        Assert.True(samples.Where(s => s.At < cutOffAt).All(s => s.First && !s.Second), "before the cut, the first holder dispatches alone");
        Assert.True(secondStarted > cutOffAt);
        // The dead holder's last renewal was at most a quarter lease before the cut; then the lease expires, and the
        // other activation asks again every tenth of it. Generous for a busy machine: twice the lease.
        Assert.True(secondStarted - cutOffAt < 2 * Lease, $"took over {(secondStarted - cutOffAt).TotalMilliseconds:0} ms after the cut");
        Assert.True(samples.Where(s => s.At > secondStarted + Lease).All(s => s.Second), "the new holder keeps its lease by renewing it");
    }

    [Fact]
    public async Task A_released_lease_is_taken_at_once_by_the_next_activation()
    {
        // A long lease: this is about the release, not the expiry, and the second activation's first connection can
        // take longer than a 1 s lease on a busy machine (seen failing under load).
        await using var first = await ActivationAsync("coordinator_c", TimeSpan.FromSeconds(60));
        await using var second = await ActivationAsync("coordinator_d", TimeSpan.FromSeconds(60));
        await first.Keeper.TakeAsync(CancellationToken.None);
        await second.Keeper.TakeAsync(CancellationToken.None);
        Assert.True(first.Keeper.MayDispatch(DateTimeOffset.UtcNow));
        Assert.False(second.Keeper.MayDispatch(DateTimeOffset.UtcNow));

        await first.Keeper.ReleaseAsync(TimeSpan.FromSeconds(5));
        await second.Keeper.TakeAsync(CancellationToken.None);

        Assert.True(second.Keeper.MayDispatch(DateTimeOffset.UtcNow));
        var holder = await new CoordinatorLeaseStore(_admin).CurrentAsync(CancellationToken.None);
        Assert.Equal(second.Keeper.Holder, holder?.Holder);
    }

    private async Task<Activation> ActivationAsync(string role, TimeSpan? lease = null)
    {
        await using (var create = _admin.CreateCommand($"CREATE ROLE {role} LOGIN; GRANT ALL ON coordinator_lease TO {role}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString) { Username = role, Timeout = 2 }.ConnectionString);
        var keeper = new DispatchLeaseKeeper(new CoordinatorLeaseStore(dataSource), role, lease ?? Lease, TimeProvider.System, NullLogger.Instance);
        return new Activation(dataSource, keeper);
    }

    /// <summary>What a network partition does to one silo: its connections drop and new ones are refused.</summary>
    private async Task CutOffAsync(string role)
    {
        await using var command = _admin.CreateCommand(
            $"ALTER ROLE {role} NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'");
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Activation(NpgsqlDataSource DataSource, DispatchLeaseKeeper Keeper) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }
}
