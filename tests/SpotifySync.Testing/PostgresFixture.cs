using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Storage;
using Xunit;

namespace SpotifySync.Testing;

/// <summary>
/// xunit fixture owning one <see cref="PostgresServer"/> for a collection, class or assembly.
/// Starting a server costs seconds, so tests share it and isolate through separate databases.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server =>
        _server ?? throw new InvalidOperationException("PostgresFixture is not initialized; xunit must call InitializeAsync first.");

    public Task<string> CreateDatabaseAsync(string? prefix = null) => Server.CreateDatabaseAsync(prefix);

    /// <summary>A new database with every migration applied, and a data source on it for the caller to dispose.</summary>
    public async Task<NpgsqlDataSource> CreateMigratedDatabaseAsync(string? prefix = null)
    {
        var dataSource = NpgsqlDataSource.Create(await CreateDatabaseAsync(prefix));
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return dataSource;
    }

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
