using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;
using SpotifySync.Silo;

if (args.FirstOrDefault() == MigrateCommand.Name)
{
    return await MigrateCommand.RunAsync(args);
}
if (args.FirstOrDefault() == ReencryptCommand.Name)
{
    return await ReencryptCommand.RunAsync(args);
}

// appsettings.json next to the binaries, whatever the working directory the process was started in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services.AddOptions<SiloHostOptions>()
    .Bind(builder.Configuration.GetSection(SiloHostOptions.SectionName))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<SiloHostOptions>, KubernetesHostingValidator>();
var host = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = host.ShutdownTimeout);

builder.UseOrleans(silo =>
{
    silo.UseSiloHost(host);
    silo.AddSpotifySync(builder.Configuration);
});

builder.Services.AddHealthChecks()
    .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
    .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    // System.Runtime: GC heap, pauses, JIT time and allocation, so heap per user and warm-up are visible from outside.
    .AddMeter(SyncMetrics.MeterName, "Microsoft.Orleans", "System.Runtime")
    .AddPrometheusExporter());

var app = builder.Build();

// The schema must exist before Orleans reads its queries from it: migrate before the silo starts.
await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
// And this month's and the next months' partitions of listening_data exist before the first sync commits.
await app.Services.GetRequiredService<ListeningDataPartitions>().EnsureAheadAsync(
    app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.PartitionMonthsAhead, CancellationToken.None);

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapGet("/", (IOptions<SiloHostOptions> options) => Results.Text(
    $"SpotifySync silo of cluster {options.Value.ClusterId}: /health/live, /health/ready, /metrics\n"));

await app.RunAsync();
return 0;
