namespace SpotifySync.SpotifyEmulator;

/// <summary>A real Kestrel server on 127.0.0.1 that speaks Spotify's accounts and Web API wire format.
/// Point both the accounts and the API base URL of the code under test at <see cref="BaseUrl"/>.</summary>
public sealed class SpotifyEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    private SpotifyEmulator(WebApplication app, EmulatorState state, Uri baseUrl)
    {
        this.app = app;
        State = state;
        BaseUrl = baseUrl;
    }

    /// <summary>Where the server listens, with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    public EmulatorState State { get; }

    public static async Task<SpotifyEmulator> StartAsync(EmulatorSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Port);

        var state = new EmulatorState(settings);
        var builder = EmulatorApplication.CreateBuilder([]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        var app = EmulatorApplication.Build(builder, state);
        try
        {
            await app.StartAsync(cancellationToken);
            return new SpotifyEmulator(app, state, BoundAddress(app));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>The address Kestrel actually bound (port 0 is replaced by the real port only after start).</summary>
    internal static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Urls;
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)) ?? addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }
}
