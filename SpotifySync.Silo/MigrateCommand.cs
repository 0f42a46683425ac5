using Microsoft.Extensions.Options;
using SpotifySync.Grains;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Silo;

/// <summary><c>dotnet SpotifySync.Silo.dll migrate</c>: apply the schema and exit, for operators who migrate before rolling out.</summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args.Where(a => a != Name).ToArray());
        builder.Services.AddPostgresDataSource(builder.Configuration);
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<ListeningDataPartitions>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SpotifySync.Migrate");
        try
        {
            await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
            await host.Services.GetRequiredService<ListeningDataPartitions>().EnsureAheadAsync(
                host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.PartitionMonthsAhead, CancellationToken.None);
            return 0;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Schema migration failed");
            return 1;
        }
    }
}
