using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
    public void Without_a_connection_string_the_api_says_which_key_is_missing()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ApiApplication.Build(["--environment", Environments.Production]));

        Assert.Contains("ConnectionStrings:Postgres", error.Message);
    }
}
