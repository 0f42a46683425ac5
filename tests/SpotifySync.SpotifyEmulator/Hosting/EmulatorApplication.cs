using Microsoft.Extensions.Hosting;

namespace SpotifySync.SpotifyEmulator;

/// <summary>The one place the emulator's web app is put together, shared by in-process tests
/// (<see cref="SpotifyEmulator.StartAsync"/>) and the standalone demo (<see cref="Program"/>).</summary>
internal static class EmulatorApplication
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // Inside a test run the entry assembly is the test host; name ourselves so nothing looks there.
            ApplicationName = typeof(EmulatorApplication).Assembly.GetName().Name,
        });

        // Quiet by default: tests start many emulators, and configuration can still turn logging up.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ControlJsonContext.Default));
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder, EmulatorState state)
    {
        builder.Services.AddSingleton(state);
        var app = builder.Build();

        app.Use(next => new SpotifyTrafficRecorder(next, state).InvokeAsync);
        app.Use(next => new FaultInjector(next, state).InvokeAsync);

        app.MapPost(SpotifyRoutes.Token, new TokenEndpoint(state).HandleAsync);
        app.MapGet(SpotifyRoutes.RecentlyPlayed, new RecentlyPlayedEndpoint(state).HandleAsync);
        app.MapGet(SpotifyRoutes.CurrentUser, new CurrentUserEndpoint(state).HandleAsync);
        ControlEndpoints.Map(app, state);
        return app;
    }
}
