using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Budget;

/// <summary>
/// A cluster paced by the call budget alone (no spacing between users), with its own emulator so that every call
/// the emulator counts is this cluster's. Reminders every 10 s keep demand above the budget.
/// </summary>
public sealed class BudgetCluster() : SyncCluster(new Dictionary<string, string>
{
    ["Spotify:CallsPer30Seconds"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Sync:SpacingBetweenUsers"] = "00:00:00",
    ["Sync:DefaultRetryAfter"] = "00:00:01",
    ["Sync:MaxDefaultRetryAfter"] = "00:00:04",
})
{
    /// <summary>Small, so that a 30-second window fills within a test; 2 calls a second.</summary>
    public const int Budget = 60;
}

[CollectionDefinition(Name)]
public sealed class BudgetClusterCollection : ICollectionFixture<BudgetCluster>
{
    public const string Name = "budget cluster";
}
