using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace SpotifySync.Testing;

/// <summary>An Orleans client that finds separate silo processes' gateways in PostgreSQL, as the API does.</summary>
public static class AdoNetClusterClient
{
    /// <summary>Starts the client host; the caller stops and disposes it. Grains come from its services' <see cref="IGrainFactory"/>.</summary>
    public static async Task<IHost> StartAsync(string clusterId, string connectionString, CancellationToken cancellationToken = default)
    {
        // No defaults: no appsettings lookup in the working directory and no console logging in a test's or benchmark's output.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }
}
