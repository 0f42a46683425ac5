using System.Diagnostics.Metrics;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Diagnostics;

/// <summary>The service's own instruments (meter <c>SpotifySync</c>), exported by the silo at <c>/metrics</c>.</summary>
public sealed class SyncMetrics
{
    public const string MeterName = "SpotifySync";

    private readonly Counter<long> _syncs;
    private readonly Counter<long> _tracks;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _tokenRefreshes;
    private readonly Counter<long> _missedSyncs;

    public SyncMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _syncs = meter.CreateCounter<long>("spotifysync.user_syncs", "{sync}", "User syncs finished, by outcome");
        _tracks = meter.CreateCounter<long>("spotifysync.tracks_synced", "{track}", "New plays written to listening_data");
        _duration = meter.CreateHistogram<double>("spotifysync.user_sync.duration", "s", "Duration of one user's sync");
        _dispatched = meter.CreateCounter<long>("spotifysync.coordinator.dispatched", "{sync}", "User syncs the coordinator let start");
        _throttled = meter.CreateCounter<long>("spotifysync.spotify.throttled", "{response}", "429 answers from Spotify");
        _tokenRefreshes = meter.CreateCounter<long>("spotifysync.spotify.token_refreshes", "{refresh}", "Access token refreshes, by result");
        _missedSyncs = meter.CreateCounter<long>(
            "spotifysync.schedule.missed_syncs", "{sync}", "Scheduled syncs no reminder tick queued, queued by the coordinator's check");
    }

    public void SyncFinished(SyncOutcome outcome)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome.Kind.ToString().ToLowerInvariant());
        _syncs.Add(1, tag);
        _duration.Record(outcome.Duration.TotalSeconds, tag);
        if (outcome.TracksAdded > 0)
        {
            _tracks.Add(outcome.TracksAdded);
        }
        if (outcome.Kind is SyncOutcomeKind.Throttled or SyncOutcomeKind.QuotaExceeded)
        {
            _throttled.Add(1);
        }
    }

    public void Dispatched(SyncPriority priority) =>
        _dispatched.Add(1, new KeyValuePair<string, object?>("priority", priority.ToString().ToLowerInvariant()));

    public void TokenRefreshed(string result) =>
        _tokenRefreshes.Add(1, new KeyValuePair<string, object?>("result", result));

    public void MissedSyncQueued() => _missedSyncs.Add(1);
}
