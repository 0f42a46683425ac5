using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace SpotifySync.Api.Tests;

/// <summary>Configuration mistakes stop the API at start with the key named, instead of serving an open API.</summary>
public sealed class ApiStartupTests
{
    [Fact]
    public async Task Outside_development_the_api_refuses_to_start_without_a_key()
    {
        await using var app = ApiApplication.Build(
            ["--environment", Environments.Production, "--urls", "http://127.0.0.1:0"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none",
            }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Api:Keys", error.Message);
    }

    [Fact]
    public async Task A_short_key_is_refused()
    {
        await using var app = ApiApplication.Build(
            ["--environment", Environments.Production, "--urls", "http://127.0.0.1:0"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none",
                ["Api:Keys:0"] = "short",
            }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("at least 16 characters", error.Message);
    }

    [Fact]
    public async Task A_gateway_list_refresh_period_out_of_range_is_refused()
    {
        await using var app = Build(("Api:GatewayListRefreshPeriod", "00:00:00.500"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Api:GatewayListRefreshPeriod", error.Message);
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData("00:00:07", 7)]
    public async Task The_orleans_client_rereads_its_gateways_as_often_as_configured(string? configured, int expectedSeconds)
    {
        // Orleans' own default is a minute: a gateway cut off the network kept the API answering 503 that long after
        // the cluster had declared it dead (container test, scenario 2).
        await using var app = Build(("Api:GatewayListRefreshPeriod", configured));

        var gateways = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), gateways.GatewayListRefreshPeriod);
    }

    private static WebApplication Build(params (string Key, string? Value)[] settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none",
            ["Api:Keys:0"] = "a-key-of-sixteen-characters",
        };
        foreach (var (key, value) in settings.Where(s => s.Value is not null))
        {
            configuration[key] = value;
        }
        return ApiApplication.Build(
            ["--environment", Environments.Production, "--urls", "http://127.0.0.1:0"],
            builder => builder.Configuration.AddInMemoryCollection(configuration));
    }

    [Fact]
    public void Without_a_connection_string_the_api_says_which_key_is_missing()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ApiApplication.Build(["--environment", Environments.Production]));

        Assert.Contains("ConnectionStrings:Postgres", error.Message);
    }
}
