using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SpotifySync.Grains;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Users;

namespace SpotifySync.Silo;

public static class SpotifySyncSiloBuilderExtensions
{
    /// <summary>ADO.NET invariant name of Npgsql, as Orleans' ADO.NET providers expect it.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Everything a SpotifySync silo needs apart from its identity and endpoints (which the host or
    /// the test cluster sets): grain services, ADO.NET clustering and reminders on PostgreSQL, start-up work.
    /// </summary>
    public static ISiloBuilder AddSpotifySync(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = ServiceCollectionExtensions.PostgresConnectionString(configuration);
        silo.Services.AddSpotifySyncGrainServices(configuration);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        // Orleans' own knobs an operator may need, bound by name (e.g. Orleans__Membership__ProbeTimeout); "Orleans:Reminders" is taken by Orleans for provider settings.
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        silo.Configure<ReminderOptions>(configuration.GetSection("Orleans:ReminderOptions"));
        silo.Services.AddSingleton<IValidateOptions<SyncOptions>, ReminderPeriodValidator>();
        // Bound from configuration, not IOptions<SyncOptions>: Orleans reads these options while it starts, and a bad
        // Sync setting must be reported by the start-up validation together with every other bad setting.
        silo.Services.AddOptions<GrainCollectionOptions>().Configure(collection =>
            CollectIdleUsers(collection, configuration.GetSection(SyncOptions.SectionName).Get<SyncOptions>() ?? new SyncOptions()));
        silo.AddStartupTask(EnqueueAllOnStartupAsync);
        silo.Services.AddHostedService<CoordinatorWatch>();
        silo.Services.AddHostedService<ListeningDataPartitionKeeper>();
        return silo;
    }

    /// <summary>Idle users cost (almost) nothing: their grains go after <c>Sync:IdleUserCollectionAge</c>.</summary>
    private static void CollectIdleUsers(GrainCollectionOptions collection, SyncOptions sync)
    {
        // An out-of-range value stops the silo in the start-up validation; until then, a valid stand-in.
        var age = sync.IdleUserCollectionAge >= TimeSpan.FromSeconds(2) ? sync.IdleUserCollectionAge : new SyncOptions().IdleUserCollectionAge;
        collection.ClassSpecificCollectionAge[typeof(UserSyncGrain).FullName!] = age;
        var quantum = sync.IdleUserCollectionQuantum >= TimeSpan.FromSeconds(1) ? sync.IdleUserCollectionQuantum : new SyncOptions().IdleUserCollectionQuantum;
        collection.CollectionQuantum = IdleUserCollection.Quantum(age, quantum);
    }

    private static async Task EnqueueAllOnStartupAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<SyncOptions>>().Value;
        if (!options.RunOnStartup)
        {
            return;
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SpotifySync.Startup");
        try
        {
            // Every silo does this on start; the queue holds each user once, so the cluster syncs everyone once.
            var result = await services.GetRequiredService<IGrainFactory>()
                .GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value).EnqueueAllActiveUsersAsync(SyncTrigger.Startup);
            logger.LogInformation("Sync:RunOnStartup queued {Queued} of {Found} active users", result.NewlyQueued, result.UsersFound);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sync:RunOnStartup could not queue the active users; the hourly schedule still runs");
        }
    }
}
