using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;
using Xunit;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Storage;
using SpotifySync.SpotifyEmulator;
using Emulator = SpotifySync.SpotifyEmulator.SpotifyEmulator;

namespace SpotifySync.Testing;

/// <summary>
/// The real stack for integration tests: a private PostgreSQL, the Spotify emulator on loopback HTTP and a
/// two-silo TestingHost cluster using ADO.NET clustering and reminders on that PostgreSQL.
/// </summary>
public class SyncCluster : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string> _overrides;

    public SyncCluster()
        : this(new Dictionary<string, string>())
    {
    }

    /// <param name="overrides">Configuration that differs from the defaults below (e.g. short timeouts for fault tests).</param>
    protected SyncCluster(IReadOnlyDictionary<string, string> overrides) => _overrides = overrides;

    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(200);

    /// <summary>Short so that a reminder tick can be observed in a test; every connected user syncs this often.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public PostgresServer Postgres { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public ListeningDatabase Database { get; private set; } = null!;
    public Emulator Emulator { get; private set; } = null!;
    public TestCluster Cluster { get; private set; } = null!;
    public string TokenEncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public IClusterClient Client => Cluster.Client;
    public EmulatorState Spotify => Emulator.State;

    public virtual async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        ConnectionString = await Postgres.CreateDatabaseAsync("cluster");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Database = new ListeningDatabase(DataSource);
        await new SchemaMigrator(DataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        Emulator = await Emulator.StartAsync(new EmulatorSettings());

        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        // Real sockets: the API under test is a separate Orleans client that finds the gateways through PostgreSQL.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        foreach (var (key, value) in Configuration())
        {
            builder.Properties[key] = value;
        }
        builder.AddSiloBuilderConfigurator<ClusterConfigurator>();
        builder.AddClientBuilderConfigurator<ClusterConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public Dictionary<string, string> Configuration()
    {
        var configuration = BaseConfiguration();
        foreach (var (key, value) in _overrides)
        {
            configuration[key] = value;
        }
        return configuration;
    }

    private Dictionary<string, string> BaseConfiguration() => new()
    {
        ["ConnectionStrings:Postgres"] = ConnectionString,
        ["Spotify:ClientId"] = Emulator.State.Settings.ClientId,
        ["Spotify:ClientSecret"] = Emulator.State.Settings.ClientSecret,
        ["Spotify:ApiBaseUrl"] = Emulator.BaseUrl.ToString(),
        ["Spotify:AccountsBaseUrl"] = Emulator.BaseUrl.ToString(),
        ["Spotify:RequestTimeout"] = "00:00:10",
        ["Security:TokenEncryptionKey"] = TokenEncryptionKey,
        ["Sync:Interval"] = Interval.ToString("c"),
        ["Sync:SpacingBetweenUsers"] = Spacing.ToString("c"),
        // A refused user's tokens are kept this long before they are erased (in case a storm follows): short, so tests see the erase.
        ["Sync:InvalidGrantStorm:Window"] = InvalidGrantStormWindow.ToString("c"),
        ["Sync:InvalidGrantStorm:Pause"] = "00:00:05",
    };

    public static readonly TimeSpan InvalidGrantStormWindow = TimeSpan.FromSeconds(3);

    /// <summary>The refresh token stored (encrypted) on the user's row, decrypted with the cluster's key.</summary>
    public async Task<string?> StoredRefreshTokenAsync(string userId)
    {
        var (_, stored, _) = await Database.UserRowAsync(userId);
        return stored is null ? null : UnprotectStoredToken(stored, userId);
    }

    /// <summary>Decrypts a token column's value as the silos would.</summary>
    public string UnprotectStoredToken(string stored, string userId) =>
        new TokenProtector(Options.Create(new SecurityOptions { TokenEncryptionKey = TokenEncryptionKey })).Unprotect(stored, userId);

    /// <summary>Waits for a sync completed after <paramref name="after"/> that ended with <paramref name="outcome"/>.</summary>
    public Task<UserSyncStatus> WaitForOutcomeAfterAsync(string userId, DateTimeOffset after, string outcome, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => User(userId).GetStatusAsync(),
            s => s.LastSyncCompletedAt >= after && s.LastSyncOutcome == outcome,
            timeout ?? TimeSpan.FromSeconds(60),
            $"a sync of {userId} after {after:O} ending '{outcome}'");

    public IUserSyncGrain User(string userId) => Client.GetGrain<IUserSyncGrain>(userId);

    public ISyncCoordinatorGrain Coordinator => Client.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value);

    /// <summary>Creates the user at the emulator and connects it through its grain, as the app backend would.</summary>
    public async Task<string> ConnectNewUserAsync(string userId, EmulatorUserSettings? settings = null)
    {
        var user = Spotify.AddUser(userId, settings);
        await User(userId).ConnectAsync(new SpotifyConnection(user.RefreshToken));
        return user.RefreshToken;
    }

    /// <summary>Connects a new emulator user and waits for its first sync to succeed.</summary>
    public async Task<UserSyncStatus> ConnectSyncedUserAsync(string userId, EmulatorUserSettings? settings = null) =>
        (await ConnectSyncedUsersAsync([userId], settings))[0];

    /// <summary>Connects new emulator users (their first syncs run one after another) and waits for all of them.</summary>
    public async Task<IReadOnlyList<UserSyncStatus>> ConnectSyncedUsersAsync(IReadOnlyList<string> userIds, EmulatorUserSettings? settings = null)
    {
        var connectedAt = DateTimeOffset.UtcNow;
        foreach (var userId in userIds)
        {
            await ConnectNewUserAsync(userId, settings);
        }
        var statuses = new List<UserSyncStatus>();
        foreach (var userId in userIds)
        {
            statuses.Add(await WaitForOutcomeAfterAsync(userId, connectedAt, "succeeded"));
        }
        return statuses;
    }

    /// <summary>Waits for the outcome of the very sync a request was queued for (not one already running when it asked).</summary>
    public Task<UserSyncStatus> WaitForSyncAsync(string userId, QueueTicket ticket, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => User(userId).GetStatusAsync(),
            s => s.LastSyncId == ticket.SyncId,
            timeout ?? TimeSpan.FromSeconds(60),
            $"sync {ticket.SyncId} of {userId}");

    public Task<UserSyncStatus> WaitForSyncAfterAsync(string userId, DateTimeOffset after, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => User(userId).GetStatusAsync(),
            s => s.LastSyncCompletedAt >= after,
            timeout ?? TimeSpan.FromSeconds(60),
            $"a sync of {userId} completed after {after:O}");

    public virtual async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}
