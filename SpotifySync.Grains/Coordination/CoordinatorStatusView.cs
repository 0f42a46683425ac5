using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The coordinator's status as the app, the readiness probe and operators see it, read from its parts. Only the
/// coordinator's turns call it.
/// </summary>
public sealed class CoordinatorStatusView(
    SyncQueue queue,
    DispatchGate gate,
    SyncPace pace,
    DispatchPause pause,
    DispatchLeaseKeeper lease,
    SyncBatches batches,
    ExpiringUsersWatch expiring,
    InvalidGrantStormWatch storm,
    IOptionsMonitor<SyncOptions> options)
{
    /// <remarks><paramref name="spacing"/> and <paramref name="paused"/> are read before the grain awaits the call budget, the rest after.</remarks>
    public CoordinatorStatus Status(DateTimeOffset now, TimeSpan spacing, bool paused, CallBudgetStatus budget) => new()
    {
        QueueLength = queue.Count,
        ManualQueued = queue.ManualCount,
        ScheduledQueued = queue.ScheduledCount,
        InFlight = gate.Running + gate.Pending,
        PausedUntil = paused ? pause.Until : null,
        PauseReason = paused ? pause.Reason : null,
        PauseKind = paused ? pause.Kind : null,
        CallBudget = budget,
        DispatchLeaseUntil = lease.MayDispatch(now) ? lease.ValidUntil : null,
        SpacingBetweenUsers = spacing,
        UsersPerHour = spacing > TimeSpan.Zero ? Math.Floor(TimeSpan.FromHours(1) / spacing) : double.PositiveInfinity,
        BatchStartedAt = batches.StartedAt,
        EstimatedQueueDrainedAt = queue.Count > 0
            ? gate.EstimatedStart(queue.Count, now, options.CurrentValue.SpacingBetweenUsers, pause.Until, pace.Interval(now)) + spacing
            : null,
        LastBatch = batches.Last,
        ExpiringSoon = expiring.Users,
        DatabaseReachable = expiring.DatabaseReachable,
        InvalidGrantStorm = storm.Status(now),
    };
}
