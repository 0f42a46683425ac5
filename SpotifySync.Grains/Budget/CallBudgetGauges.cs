using System.Diagnostics.Metrics;
using SpotifySync.Grains.Diagnostics;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Budget;

/// <summary>
/// The budget's gauges at <c>/metrics</c>. Only the silo hosting <see cref="CallBudgetGrain"/> has values; the
/// others report nothing rather than a stale copy.
/// </summary>
public sealed class CallBudgetGauges
{
    private volatile CallBudgetStatus? _latest;

    public CallBudgetGauges(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SyncMetrics.MeterName);
        meter.CreateObservableGauge("spotifysync.spotify.call_budget.configured", () => Measure(s => s.Configured), "{call}",
            "Spotify:CallsPer30Seconds (0: no budget)");
        meter.CreateObservableGauge("spotifysync.spotify.call_budget.effective", () => Measure(s => s.Effective), "{call}",
            "The call budget in force per 30 s, lowered after a 429");
        meter.CreateObservableGauge("spotifysync.spotify.calls_last_30s", () => Measure(s => s.SentInLast30Seconds), "{call}",
            "Spotify requests the cluster sent in the last 30 s");
    }

    public void Update(CallBudgetStatus status) => _latest = status;

    private IEnumerable<Measurement<double>> Measure(Func<CallBudgetStatus, double> value) =>
        _latest is { } latest ? [new Measurement<double>(value(latest))] : [];
}
