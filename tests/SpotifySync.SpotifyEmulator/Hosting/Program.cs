using System.Globalization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// Standalone emulator for local demos and out-of-process tests:
/// <c>dotnet run --project tests/SpotifySync.SpotifyEmulator -- --urls http://127.0.0.1:5099 --demo-users 3</c>.
/// Demo users get predictable refresh tokens (<c>demo-refresh-N</c>) so a script can connect them.
/// </summary>
internal static class Program
{
    private const string DefaultUrls = "http://127.0.0.1:5099";

    public static async Task Main(string[] args)
    {
        var builder = EmulatorApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        var configuration = builder.Configuration;
        var defaults = new EmulatorSettings();
        var settings = new EmulatorSettings
        {
            ClientId = configuration["Emulator:ClientId"] ?? defaults.ClientId,
            ClientSecret = configuration["Emulator:ClientSecret"] ?? defaults.ClientSecret,
            AccessTokenLifetime = TimeSpan.FromSeconds(configuration.GetValue("Emulator:AccessTokenLifetimeSeconds", defaults.AccessTokenLifetime.TotalSeconds)),
        };
        var playInterval = TimeSpan.FromSeconds(configuration.GetValue("Emulator:PlayIntervalSeconds", 60.0));
        var demoUsers = configuration.GetValue("demo-users", configuration.GetValue("Emulator:DemoUsers", 0));

        var state = new EmulatorState(settings);
        await using var app = EmulatorApplication.Build(builder, state);
        await app.StartAsync();

        Console.WriteLine($"Spotify emulator listening on {SpotifyEmulator.BoundAddress(app)} (client id '{settings.ClientId}')");
        for (var n = 1; n <= demoUsers; n++)
        {
            var user = state.AddUser(
                $"demo-user-{n.ToString(CultureInfo.InvariantCulture)}",
                new EmulatorUserSettings { PlayInterval = playInterval, InitialRefreshToken = $"demo-refresh-{n.ToString(CultureInfo.InvariantCulture)}" });
            Console.WriteLine($"demo user {user.UserId} refresh_token={user.RefreshToken}");
        }

        await app.WaitForShutdownAsync();
    }
}
