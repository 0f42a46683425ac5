using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Faults;

/// <summary>
/// A second real cluster for fault tests, with timeouts and pauses short enough to watch in a test.
/// Its tests switch the emulator's faults on and always switch them off again.
/// </summary>
public sealed class FaultsCluster() : SyncCluster(new Dictionary<string, string>
{
    ["Spotify:RequestTimeout"] = "00:00:01",
    ["Spotify:MaxRetries"] = "3",
    ["Spotify:RetryBaseDelay"] = "00:00:00.050",
    ["Sync:DefaultRetryAfter"] = "00:00:01",
    ["Sync:MaxDefaultRetryAfter"] = "00:00:04",
    ["Sync:CredentialsRejectedPause"] = "00:00:02",
    ["Sync:GapFollowUpDelay"] = "00:00:02",
    ["Sync:StartClaimTimeout"] = "00:00:03",
    ["Sync:InFlightTimeout"] = "00:00:30",
    ["Sync:SaveRetryMaxDelay"] = "00:00:02",
    // Few enough users for a test to make a storm (with the default share of 20% of the refresh attempts); a lone
    // refusal (TokenFaultTests) is still no storm.
    ["Sync:InvalidGrantStorm:MinUsers"] = "4",
});

[CollectionDefinition(Name)]
public sealed class FaultsClusterCollection : ICollectionFixture<FaultsCluster>
{
    public const string Name = "faults cluster";
}
