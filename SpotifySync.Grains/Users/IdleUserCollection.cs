using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Users;

/// <summary>
/// How often Orleans' activation collector runs. It files each idle grain under the quantum in which its idle age runs
/// out and deactivates a whole quantum's grains at one tick: with Orleans' default of a minute, the grains of a
/// 100,000-user connect storm or sync-all went in two or three ticks of 60,000-95,000 deactivations each, and the
/// silos' GC then paused them for up to 0.8 s (the scale benchmark's open-loop window, 2026-12-07).
/// </summary>
public static class IdleUserCollection
{
    /// <summary>
    /// The configured quantum, but never more than half the idle age: the collector only looks once per quantum, so a
    /// grain may stay up to a quantum past its age.
    /// </summary>
    public static TimeSpan Quantum(TimeSpan idleAge, TimeSpan configuredQuantum) =>
        idleAge / 2 < configuredQuantum ? idleAge / 2 : configuredQuantum;

    /// <summary>
    /// Whether a grain that has just queued its user's sync should leave memory now rather than wait out its idle age:
    /// when the coordinator does not expect to start that sync before the age runs out, the collector would take the
    /// grain before its sync anyway. Leaving at once frees the memory while it is still young (cheap for the GC) and
    /// spreads the deactivations of a connect storm over the storm rather than over a few of the collector's ticks.
    /// </summary>
    public static bool LeavesBeforeItsSync(QueueTicket ticket, DateTimeOffset now, TimeSpan idleAge) =>
        ticket.EstimatedStart - now > idleAge;
}
