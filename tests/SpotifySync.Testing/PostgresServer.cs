using Npgsql;

namespace SpotifySync.Testing;

/// <summary>
/// A throwaway PostgreSQL server owned by the test run: its own temp folder, its own port,
/// removed on dispose. Tests therefore need no database installed as a running service,
/// and parallel test projects never share state.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // Enough to survive another process grabbing the port between our probe and postgres' bind.
    private const int StartAttempts = 3;

    private readonly PostgresCommandRunner _commands;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EventHandler _onProcessExit;
    private bool _running;
    private int _disposed;

    private PostgresServer(PostgresCommandRunner commands, string rootDirectory)
    {
        _commands = commands;
        RootDirectory = rootDirectory;
        AdminConnectionString = "";
        _onProcessExit = (_, _) => StopOnProcessExit();
        // A test host that exits without disposing (a fixture never torn down, SIGTERM) must not leave postgres behind.
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>Temp folder holding data, log and socket; deleted on dispose.</summary>
    public string RootDirectory { get; }

    public int Port { get; private set; }

    public bool IsRunning => _running;

    /// <summary>Superuser connection to the 'postgres' database.</summary>
    public string AdminConnectionString { get; private set; }

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    private string LogFile => Path.Combine(RootDirectory, "log");

    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default)
    {
        var commands = await PostgresCommandRunner.CreateAsync(ct).ConfigureAwait(false);
        await OrphanedServerSweeper.SweepAsync(commands, ct).ConfigureAwait(false);

        var server = new PostgresServer(commands, ServerDirectory.Create());
        try
        {
            await server.InitializeAsync(ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates an empty database with a unique name and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        var name = DatabaseName.Unique(prefix);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Shuts the server down cleanly, keeping its data and port for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        ThrowIfDisposed();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_running)
            {
                return;
            }
            // Pooled idle connections would otherwise surface as broken sockets in the next test.
            NpgsqlConnection.ClearAllPools();
            var result = await _commands.PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], RootDirectory, default)
                .ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw Failure("pg_ctl stop failed", result);
            }
            _running = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a stopped server on the same port with the same data.</summary>
    public async Task StartAgainAsync()
    {
        ThrowIfDisposed();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_running)
            {
                return;
            }
            var result = await LaunchAsync(Port, default).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw Failure($"pg_ctl start on port {Port} failed", result);
            }
            await WaitUntilAcceptingConnectionsAsync(default).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        try
        {
            NpgsqlConnection.ClearAllPools();
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                // Immediate: the data is about to be deleted, so a clean shutdown buys nothing.
                await _commands.PgCtlAsync(["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], RootDirectory, default)
                    .ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Dispose must not throw over a test's own failure; the sweeper stops any survivor next run.
        }
        _running = false;
        ServerDirectory.TryDelete(RootDirectory);
    }

    private async Task InitializeAsync(CancellationToken ct)
    {
        await _commands.HandOverAsync(RootDirectory, ct).ConfigureAwait(false);

        // Trust auth and no fsync: a disposable test server needs neither passwords nor durability.
        var init = await _commands.InitDbAsync(
            ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"],
            RootDirectory,
            ct).ConfigureAwait(false);
        if (!init.Succeeded)
        {
            throw Failure("initdb failed", init);
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Pick();
            var logBefore = LogLength();
            var start = await LaunchAsync(port, ct).ConfigureAwait(false);
            if (start.Succeeded)
            {
                break;
            }
            if (attempt >= StartAttempts || !LostPortRace(logBefore))
            {
                throw Failure($"pg_ctl start on port {port} failed (attempt {attempt})", start);
            }
        }
        await WaitUntilAcceptingConnectionsAsync(ct).ConfigureAwait(false);
    }

    private async Task<ProcessResult> LaunchAsync(int port, CancellationToken ct)
    {
        Port = port;
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            IncludeErrorDetail = true,
        }.ConnectionString;

        // The socket lives in our folder so it never collides with a system server's /var/run/postgresql;
        // the durability settings are off because speed matters and the data is thrown away.
        var options = string.Join(' ',
            $"-p {port}",
            $"-k '{RootDirectory}'",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=300");
        var result = await _commands.PgCtlAsync(
            ["-D", DataDirectory, "-o", options, "-l", LogFile, "-w", "-t", "60", "start"],
            RootDirectory,
            ct).ConfigureAwait(false);
        _running = result.Succeeded;
        return result;
    }

    private async Task WaitUntilAcceptingConnectionsAsync(CancellationToken ct)
    {
        // pg_ctl -w already waits for readiness; this confirms it over TCP, the way tests will connect.
        var probe = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL on port {Port} started but accepts no connections: {ex.Message}\n--- server log ---\n{TextTail.OfFile(LogFile)}", ex);
            }
        }
    }

    private long LogLength() => File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;

    private bool LostPortRace(long logOffset)
    {
        try
        {
            using var stream = File.OpenRead(LogFile);
            stream.Seek(logOffset, SeekOrigin.Begin);
            var newLines = new StreamReader(stream).ReadToEnd();
            return newLines.Contains("Address already in use", StringComparison.Ordinal)
                || newLines.Contains("could not create any TCP/IP sockets", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void StopOnProcessExit()
    {
        // ProcessExit handlers are synchronous; blocking here is the only way to finish before exit.
        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private InvalidOperationException Failure(string what, ProcessResult result) =>
        new($"{what} (exit {result.ExitCode}).\n--- output ---\n{TextTail.Of(result.Output)}\n--- server log ---\n{TextTail.OfFile(LogFile)}");

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
}
