using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SpotifySync.Api;
using SpotifySync.Testing;

namespace SpotifySync.Api.Tests;

/// <summary>
/// The API as deployed: its own host on a real loopback port, an Orleans client that finds the
/// two-silo cluster's gateways in PostgreSQL (ADO.NET), in the Production environment (keys required).
/// </summary>
public sealed class ApiStack : IAsyncLifetime
{
    public const string ApiKey = "test-api-key-0123456789";

    private WebApplication? _app;

    public SyncCluster Cluster { get; } = new();
    public HttpClient Http { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        var options = Cluster.Cluster.Options;
        _app = ApiApplication.Build(
            ["--environment", Environments.Production, "--urls", "http://127.0.0.1:0"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = Cluster.ConnectionString,
                ["Orleans:ClusterId"] = options.ClusterId,
                ["Orleans:ServiceId"] = options.ServiceId,
                ["Api:Keys:0"] = ApiKey,
                ["Api:ManualSyncWaitTimeout"] = "00:00:20",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address + "/");
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null, bool withKey = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (withKey)
        {
            request.Headers.Add("X-Api-Key", ApiKey);
        }
        return request;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiStackCollection : ICollectionFixture<ApiStack>
{
    public const string Name = "api stack";
}
