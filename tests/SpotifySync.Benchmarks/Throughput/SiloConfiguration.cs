using System.Globalization;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// The configuration of a benchmark silo, as in MultiProcessClusterTests: the private database, the emulator as
/// Spotify, its own ports (picked as each silo starts), no spacing between users, quiet logs, and no reminders that could add syncs of their own
/// (scheduled syncs off, an hourly interval): every sync measured is one the benchmark asked for.
/// </summary>
internal static class SiloConfiguration
{
    public static Dictionary<string, string> For(BenchmarkInfrastructure infrastructure, string clusterId, int callsPer30Seconds) => new()
    {
        ["ConnectionStrings:Postgres"] = infrastructure.ConnectionString,
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = clusterId,
        ["Spotify:ClientId"] = infrastructure.Spotify.Settings.ClientId,
        ["Spotify:ClientSecret"] = infrastructure.Spotify.Settings.ClientSecret,
        ["Spotify:ApiBaseUrl"] = infrastructure.Emulator.BaseUrl.ToString(),
        ["Spotify:AccountsBaseUrl"] = infrastructure.Emulator.BaseUrl.ToString(),
        ["Spotify:CallsPer30Seconds"] = callsPer30Seconds.ToString(CultureInfo.InvariantCulture),
        ["Security:TokenEncryptionKey"] = infrastructure.TokenEncryptionKey,
        ["Sync:Enabled"] = "false",
        ["Sync:Interval"] = "01:00:00",
        ["Sync:SpacingBetweenUsers"] = "00:00:00",
        ["Sync:RunOnStartup"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
