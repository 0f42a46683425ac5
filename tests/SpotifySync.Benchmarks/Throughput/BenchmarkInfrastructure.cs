using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Storage;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;
using Emulator = SpotifySync.SpotifyEmulator.SpotifyEmulator;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Everything the silos need that outlives them: a private PostgreSQL with a migrated database, the Spotify
/// emulator on loopback, the token encryption key and a temp folder for the silo logs. All removed on dispose.
/// </summary>
internal sealed class BenchmarkInfrastructure : IAsyncDisposable
{
    private BenchmarkInfrastructure(PostgresServer postgres, string logDirectory)
    {
        Postgres = postgres;
        LogDirectory = logDirectory;
    }

    public PostgresServer Postgres { get; }

    public string LogDirectory { get; }

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public Emulator Emulator { get; private set; } = null!;

    public EmulatorState Spotify => Emulator.State;

    public string TokenEncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The PostgreSQL server's version, named in every report's machine line.</summary>
    public async Task<string> PostgresVersionAsync(CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand("SHOW server_version");
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task<BenchmarkInfrastructure> StartAsync(CancellationToken ct)
    {
        var postgres = await PostgresServer.StartAsync(ct);
        var infrastructure = new BenchmarkInfrastructure(postgres, Directory.CreateTempSubdirectory("spotifysync-throughput-").FullName);
        try
        {
            infrastructure.ConnectionString = await postgres.CreateDatabaseAsync("throughput", ct);
            infrastructure.DataSource = NpgsqlDataSource.Create(infrastructure.ConnectionString);
            await new SchemaMigrator(infrastructure.DataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(ct);
            infrastructure.Emulator = await Emulator.StartAsync(new EmulatorSettings(), ct);
            return infrastructure;
        }
        catch
        {
            await infrastructure.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
        await Postgres.DisposeAsync();
        // To read why a run missed a target afterwards (a user's log lines around its late sync), not kept by default.
        if (Environment.GetEnvironmentVariable("SPOTIFYSYNC_BENCHMARK_KEEP_LOGS") == "1")
        {
            Console.Error.WriteLine($"silo and API logs kept in {LogDirectory}");
            return;
        }
        try
        {
            Directory.Delete(LogDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A silo still closing its log: the folder is in /tmp and named, nothing depends on it.
        }
    }
}
