using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
/// A silo that stops answering (frozen with SIGSTOP: the process and its sockets stay, nothing comes back, as with a
/// network cut) costs the app a 503 problem+json within <c>Api:ClusterCallTimeout</c>, never a hung request; when the
/// silo answers again, so does the API, by itself.
/// </summary>
[Collection(ApiStackCollection.Name)]
public sealed class ApiDeadlineTests(ApiStack stack) : IAsyncLifetime
{
    private static readonly TimeSpan ClusterCallTimeout = TimeSpan.FromSeconds(2);
    private readonly string _logDirectory = Directory.CreateTempSubdirectory("spotifysync-deadline-").FullName;
    private readonly string _clusterId = $"deadline-{Guid.NewGuid():N}";
    private ServiceProcess? _silo;
    private WebApplication? _api;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await stack.Cluster.Postgres.CreateDatabaseAsync("deadline");
        var configuration = new Dictionary<string, string>(stack.Cluster.Configuration())
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Orleans:ClusterId"] = _clusterId,
            ["Orleans:ServiceId"] = _clusterId,
            ["Orleans:SiloPort"] = FreeTcpPort.Pick().ToString(),
            ["Orleans:GatewayPort"] = FreeTcpPort.Pick().ToString(),
            ["Orleans:ReminderOptions:MinimumReminderPeriod"] = "00:00:01",
            ["Sync:Enabled"] = "false",
        };
        _silo = ServiceProcess.StartSilo("deadline-silo", configuration, _logDirectory);
        await _silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
        _api = ApiApplication.Build(
            ["--environment", Environments.Production, "--urls", "http://127.0.0.1:0"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = connectionString,
                ["Orleans:ClusterId"] = _clusterId,
                ["Orleans:ServiceId"] = _clusterId,
                ["Api:Keys:0"] = ApiStack.ApiKey,
                ["Api:ClusterCallTimeout"] = ClusterCallTimeout.ToString("c"),
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await _api.StartAsync();
        var address = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Add("X-Api-Key", ApiStack.ApiKey);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            Signal("CONT", _silo.ProcessId);
        }
        _http?.Dispose();
        if (_api is not null)
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        Directory.Delete(_logDirectory, recursive: true);
    }

    [Fact]
    public async Task A_silo_that_stops_answering_costs_a_503_problem_json_within_the_deadline_and_the_api_recovers_by_itself()
    {
        const string userId = "deadline-user";
        var refreshToken = stack.Cluster.Spotify.AddUser(userId).RefreshToken;
        // The precondition, not the point: a silo just started on a loaded machine may take longer than the 2 s
        // deadline for its first activation and reminder, which is answered 503 and tried again like an app would.
        await Poll.UntilAsync(async () =>
        {
            using var connected = await _http.PutAsJsonAsync($"api/users/{userId}/spotify", new { refreshToken });
            return connected.StatusCode;
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the user to connect before the silo is frozen");

        Signal("STOP", _silo!.ProcessId);
        foreach (var request in new Func<HttpRequestMessage>[]
        {
            () => new HttpRequestMessage(HttpMethod.Get, $"api/users/{userId}/sync-status"),
            () => new HttpRequestMessage(HttpMethod.Post, $"api/users/{userId}/sync"),
            () => new HttpRequestMessage(HttpMethod.Put, $"api/users/{userId}/spotify") { Content = JsonContent.Create(new { refreshToken }) },
        })
        {
            var clock = Stopwatch.StartNew();
            using var response = await _http.SendAsync(request());
            var elapsed = clock.Elapsed;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
            Assert.True(elapsed < ClusterCallTimeout + TimeSpan.FromSeconds(1.5),
                $"{response.RequestMessage!.Method} answered after {elapsed.TotalSeconds:0.0} s; the deadline is {ClusterCallTimeout.TotalSeconds:0} s");
        }

        Signal("CONT", _silo.ProcessId);
        await Poll.UntilAsync(
            async () => (await _http.GetAsync($"api/users/{userId}/sync-status")).StatusCode,
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the API to answer 200 again once the silo answers");
    }

    private static void Signal(string signal, int processId)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString()]);
        kill.WaitForExit();
    }
}
