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

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
