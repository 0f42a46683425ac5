using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.Benchmarks;

/// <summary>
/// One sync's commit (<see cref="ListeningDataWriter.CommitAsync"/>): a full page of 50 plays and the user's
/// row in one transaction, against a real PostgreSQL, because the cost is the round trips and the
/// ON CONFLICT index probes, which no fake would show.
/// </summary>
[MemoryDiagnoser]
public class ListeningDataWriterBenchmarks
{
    private const string UserId = "benchmark-user";

    // Fresh pages start here and move forward, far from the stored page, so they never collide with it.
    private static readonly DateTimeOffset FreshPagesStart = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StoredPageStart = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private PostgresServer? _server;
    private NpgsqlDataSource? _dataSource;
    private ListeningDataWriter? _writer;
    private SpotifyUserRecord? _user;
    private ListeningRow[] _storedPage = [];
    private DateTimeOffset _nextFreshPage = FreshPagesStart;

    // Started here, not in Program: BenchmarkDotNet runs each benchmark in a child process, and only
    // setup code runs there; the server dies with that process (PostgresServer's exit hook) at the latest.
    [GlobalSetup]
    public async Task GlobalSetup()
    {
        _server = await PostgresServer.StartAsync();
        _dataSource = NpgsqlDataSource.Create(await _server.CreateDatabaseAsync("benchmarks"));
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        _user = await new SpotifyUserStore(_dataSource).SaveAsync(
            new SpotifyUserRecord { UserId = UserId, State = SpotifyUserStates.Active, RefreshTokenEncrypted = "not-a-real-token" },
            CancellationToken.None);
        _writer = new ListeningDataWriter(_dataSource);
        _storedPage = PlayPage.Create(UserId, StoredPageStart);
        _user = await _writer.CommitAsync(_user, _storedPage, DateTimeOffset.UtcNow, CancellationToken.None);
    }

    /// <summary>A normal sync: all 50 plays are new and inserted. Building the page (about 5 KB) is part of the figure.</summary>
    [Benchmark]
    public async Task<SpotifyUserRecord> CommitPageOfNewPlays()
    {
        var page = PlayPage.Create(UserId, _nextFreshPage);
        _nextFreshPage += PlayPage.Span;
        // The returned record carries the new optimistic version; the next commit must be based on it.
        return _user = await _writer!.CommitAsync(_user!, page, DateTimeOffset.UtcNow, CancellationToken.None);
    }

    /// <summary>A re-sync of plays already stored: every row hits ON CONFLICT DO NOTHING, only the user row changes.</summary>
    [Benchmark]
    public async Task<SpotifyUserRecord> CommitPageAlreadyStored() =>
        _user = await _writer!.CommitAsync(_user!, _storedPage, DateTimeOffset.UtcNow, CancellationToken.None);

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
