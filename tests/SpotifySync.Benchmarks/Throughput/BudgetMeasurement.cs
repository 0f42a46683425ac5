namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// Scenario 3: the call budget against the emulator's rolling 30-second window set to the same limit. Calls are what
/// the emulator admitted, permits what the cluster's budget granted (its own count), both over the last 30 s of the load.
/// </summary>
internal sealed record BudgetMeasurement(
    int Budget,
    TimeSpan Measured,
    int CallsInLastWindow,
    int PermitsInLastWindow,
    int MaxCallsInAnyWindow,
    long WindowRefusals,
    int Answers429,
    int WebApiCallsMeasured,
    int TokenCallsMeasured,
    double EffectiveBudget)
{
    /// <summary>Share of the budget that reached Spotify in the 30 s before the load stopped.</summary>
    public double ShareUsed => (double)CallsInLastWindow / Budget;

    /// <summary>Syncs per second in the measured stretch (one recently-played call each).</summary>
    public double SyncsPerSecond => WebApiCallsMeasured / Measured.TotalSeconds;
}
