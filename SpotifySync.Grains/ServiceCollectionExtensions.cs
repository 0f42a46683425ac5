using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SpotifySync.Grains.Budget;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the grains need: options (validated at start), PostgreSQL stores, the Spotify clients.</summary>
    public static IServiceCollection AddSpotifySyncGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>();
        services.AddOptions<InvalidGrantStormOptions>().Bind(configuration.GetSection(InvalidGrantStormOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SpotifyOptions>().Bind(configuration.GetSection(SpotifyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();

        services.AddPostgresDataSource(configuration);
        services.AddSingleton<SpotifyUserStore>();
        services.AddSingleton<ListeningDataWriter>();
        services.AddSingleton<SyncQueueStore>();
        services.AddSingleton<DispatchPauseStore>();
        services.AddSingleton<CoordinatorLeaseStore>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<ListeningDataPartitions>();
        services.AddSingleton<TokenProtector>();
        services.AddSingleton<SyncMetrics>();
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton<SpotifyCallPermits>();
        services.AddSingleton<CallBudgetGauges>();
        services.AddTransient<SpotifyCallPermitHandler>();
        // The permit handler is added after (so inside) the resilience pipeline: every attempt takes a permit.
        services.AddSingleton<SpotifyAccountsClient>();
        services.AddSingleton<SpotifyWebApiClient>();
        var accounts = services.AddHttpClient(SpotifyAccountsClient.HttpClientName, ConfigureSpotifyHttpClient);
        accounts.AddResilienceHandler("spotify-accounts", (pipeline, context) =>
            SpotifyHttpResilience.Configure(pipeline, context.GetOptions<SpotifyOptions>(), idempotent: false));
        accounts.AddHttpMessageHandler<SpotifyCallPermitHandler>();
        var webApi = services.AddHttpClient(SpotifyWebApiClient.HttpClientName, ConfigureSpotifyHttpClient);
        webApi.AddResilienceHandler("spotify-web-api", (pipeline, context) =>
            SpotifyHttpResilience.Configure(pipeline, context.GetOptions<SpotifyOptions>(), idempotent: true));
        webApi.AddHttpMessageHandler<SpotifyCallPermitHandler>();
        return services;
    }

    /// <summary>The one <see cref="NpgsqlDataSource"/> (connection pool) of the process, from <c>ConnectionStrings:Postgres</c>.</summary>
    public static IServiceCollection AddPostgresDataSource(this IServiceCollection services, IConfiguration configuration)
    {
        // With the host's logger factory, so Npgsql's own warnings (a broken connection, a slow pool) reach the logs.
        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(PostgresConnectionString(configuration))
            .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
            .Build());
        return services;
    }

    /// <summary><c>ConnectionStrings:Postgres</c> with <see cref="PostgresConnectionTuning"/> applied (for our pool and Orleans' providers alike).</summary>
    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres") is { Length: > 0 } connectionString
            ? PostgresConnectionTuning.Apply(connectionString)
            : throw new InvalidOperationException(
                "ConnectionStrings:Postgres is required (environment variable ConnectionStrings__Postgres), e.g. Host=localhost;Username=spotifysync;Password=...;Database=spotifysync");

    private static void ConfigureSpotifyHttpClient(HttpClient client)
    {
        // The resilience pipeline bounds sending (per attempt and in total), SpotifyCallDeadline the whole call
        // with its body; this one must never fire first.
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.ParseAdd("SpotifySync/1.0");
    }
}
