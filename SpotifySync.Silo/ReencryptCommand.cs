using Microsoft.Extensions.Options;
using SpotifySync.Grains;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Silo;

/// <summary>
/// <c>dotnet SpotifySync.Silo.dll reencrypt [--BatchSize 500]</c>: moves every stored token to the current key of
/// <c>Security:TokenEncryptionKeys</c> and exits; 0 when every row is on it, 2 when rows are left (run it again).
/// Batched, resumable and safe while the cluster runs (<see cref="TokenReencryption"/>).
/// </summary>
public static class ReencryptCommand
{
    public const string Name = "reencrypt";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args.Where(a => a != Name).ToArray());
        builder.Services.AddPostgresDataSource(builder.Configuration);
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.AddSingleton<TokenProtector>();
        builder.Services.AddSingleton<TokenReencryption>();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SpotifySync.Reencrypt");
        try
        {
            var batchSize = builder.Configuration.GetValue("BatchSize", 500);
            // The key id column must exist: the same migrations a silo applies at start.
            await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
            var result = await host.Services.GetRequiredService<TokenReencryption>().RunAsync(batchSize, maxBatches: null, CancellationToken.None);
            return result.Remaining == 0 ? 0 : 2;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Token re-encryption failed");
            return 1;
        }
    }
}
