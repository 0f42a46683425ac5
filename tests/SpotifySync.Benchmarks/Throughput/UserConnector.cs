using SpotifySync.Grains.Interfaces;
using SpotifySync.SpotifyEmulator;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Creates the benchmark's listeners at the emulator and connects them through their grains, as the app backend
/// would, many at a time. Every connect also queues the user's first sync.
/// </summary>
internal static class UserConnector
{
    /// <summary>50 plays already (a full first page), and a new one every 10 s, so that a re-sync finds a few.</summary>
    private static readonly EmulatorUserSettings Listener = new() { InitialPlays = 50, PlayInterval = TimeSpan.FromSeconds(10) };

    public static string UserId(int index) => $"listener-{index:D6}";

    public static IReadOnlyList<EmulatorUser> AddListeners(EmulatorState spotify, int count) =>
        [.. Enumerable.Range(0, count).Select(i => spotify.AddUser(UserId(i), Listener))];

    public static Task ConnectAllAsync(IGrainFactory grains, IReadOnlyList<EmulatorUser> users, int concurrency, CancellationToken ct) =>
        Parallel.ForEachAsync(
            users,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (user, _) => await grains.GetGrain<IUserSyncGrain>(user.UserId).ConnectAsync(new SpotifyConnection(user.RefreshToken)));
}
