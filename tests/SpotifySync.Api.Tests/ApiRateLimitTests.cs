using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SpotifySync.Api.Tests;

/// <summary>A second API host on the stack's cluster, with a small per-key limit, so the limit is reached in a few requests.</summary>
[Collection(ApiStackCollection.Name)]
public sealed class ApiRateLimitTests(ApiStack stack)
{
    private const string OtherKey = "other-api-key-0123456789";

    [Fact]
    public async Task A_key_over_its_limit_gets_429_problem_json_with_retry_after_and_other_keys_are_not_affected()
    {
        await using var app = await StartAsync(new() { ["Api:RateLimit:PermitLimit"] = "3", ["Api:RateLimit:Window"] = "00:01:00" });
        using var http = Client(app);

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await http.SendAsync(Get(ApiStack.ApiKey));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var limited = await http.SendAsync(Get(ApiStack.ApiKey));
        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, "the fourth request in the window");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {limited.Headers.RetryAfter}");

        using var other = await http.SendAsync(Get(OtherKey));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // Unknown keys are refused before they could use anyone's window.
        using var unknown = await http.SendAsync(Get("unknown-key-0123456789"));
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.Unauthorized, "an unknown key");
        using var probe = await http.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    [Theory]
    [InlineData("0", "00:01:00", "PermitLimit")]
    [InlineData("10", "00:00:00", "Window")]
    [InlineData("10", "02:00:00", "Window")]
    public async Task A_rate_limit_out_of_range_stops_the_api_at_start(string permits, string window, string named)
    {
        await using var app = Build(new() { ["Api:RateLimit:PermitLimit"] = permits, ["Api:RateLimit:Window"] = window });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains($"Api:RateLimit:{named}", error.Message);
    }

    private static HttpRequestMessage Get(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "api/sync/status");
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var app = Build(settings);
        await app.StartAsync();
        return app;
    }

    private WebApplication Build(Dictionary<string, string?> settings)
    {
        var options = stack.Cluster.Cluster.Options;
        return ApiApplication.Build(
            ["--environment", Environments.Production, "--urls", "http://127.0.0.1:0"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
            {
                ["ConnectionStrings:Postgres"] = stack.Cluster.ConnectionString,
                ["Orleans:ClusterId"] = options.ClusterId,
                ["Orleans:ServiceId"] = options.ServiceId,
                ["Api:Keys:0"] = ApiStack.ApiKey,
                ["Api:Keys:1"] = OtherKey,
                ["Logging:LogLevel:Default"] = "Warning",
            }));
    }

    private static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address + "/") };
    }
}
