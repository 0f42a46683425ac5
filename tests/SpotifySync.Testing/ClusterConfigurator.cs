using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;
using SpotifySync.Silo;

namespace SpotifySync.Testing;

/// <summary>
/// Makes TestingHost silos real SpotifySync silos: the production <see cref="SpotifySyncSiloBuilderExtensions.AddSpotifySync"/>
/// (ADO.NET clustering and reminders on the test's PostgreSQL) plus a reminder minimum short enough for tests.
/// Created by type, so everything comes through configuration (TestClusterBuilder.Properties).
/// </summary>
public sealed class ClusterConfigurator : ISiloConfigurator, IClientBuilderConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddSpotifySync(siloBuilder.Configuration);
        siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }

    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        clientBuilder.UseAdoNetClustering(o =>
        {
            o.Invariant = SpotifySyncSiloBuilderExtensions.NpgsqlInvariant;
            o.ConnectionString = configuration["ConnectionStrings:Postgres"];
        });
    }
}
