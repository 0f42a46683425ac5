using System.Diagnostics;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Scenario 4: the peer's loop (<see cref="NaiveSyncLoop"/>) against the same emulator and PostgreSQL, one user
/// after another, with its 2 s sleep between users and without it. Run after the silos are gone, on the same
/// listeners (other ones for each loop, so that every user's 50 plays are new to the peer's table).
/// </summary>
internal sealed class PeerLoopScenario(BenchmarkInfrastructure infrastructure)
{
    public static readonly TimeSpan PeerSleep = TimeSpan.FromSeconds(2);

    private int _nextListener;

    public async Task<PeerMeasurement> RunAsync(int users, TimeSpan pause, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = infrastructure.Emulator.BaseUrl };
        var loop = new NaiveSyncLoop(http, infrastructure.DataSource, infrastructure.Spotify.Settings);
        await loop.CreateTableAsync(ct);
        var listeners = Enumerable.Range(_nextListener, users).Select(i => infrastructure.Spotify.GetUser(UserConnector.UserId(i))).ToList();
        _nextListener += users;

        var clock = Stopwatch.StartNew();
        long inserted = 0;
        foreach (var listener in listeners)
        {
            inserted += await loop.SyncAsync(listener.UserId, listener.RefreshToken, ct);
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, ct);
            }
        }
        return new PeerMeasurement(users, pause, clock.Elapsed, inserted);
    }
}
