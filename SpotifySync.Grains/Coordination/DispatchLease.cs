namespace SpotifySync.Grains.Coordination;

/// <summary>
/// Whether this coordinator activation may dispatch: only while it holds the lease in <c>coordinator_lease</c>.
/// The activation counts its lease from the moment it <em>asked</em>, which is before PostgreSQL set the expiry, so
/// its own view ends first whatever the silo clocks say; a margin covers clocks running at slightly different rates
/// and a short pause between a check and a dispatch. Renewals come well before the end, so one slow or failed
/// renewal does not stop dispatch. Plain arithmetic on the times it is given: the grain does the I/O.
/// </summary>
public sealed class DispatchLease(TimeSpan duration)
{
    private DateTimeOffset _validUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private bool _refused;

    public TimeSpan Duration { get; } = duration;

    /// <summary>Renewals come every quarter of the lease: three may fail before dispatch stops.</summary>
    public TimeSpan RenewEvery => Duration / 4;

    /// <summary>Taken off the lease's end on this side.</summary>
    public TimeSpan Margin => Duration / 10;

    /// <summary>The end of this activation's lease by its own clock.</summary>
    public DateTimeOffset ValidUntil => _validUntil;

    public bool Holds(DateTimeOffset now) => now < _validUntil;

    /// <summary>Whether to ask PostgreSQL again (to renew, or to take a lease another activation may have let lapse).</summary>
    public bool AttemptDue(DateTimeOffset now) => now >= _nextAttempt;

    /// <summary>PostgreSQL gave (or renewed) the lease to this activation; <paramref name="askedAt"/> is when it asked.</summary>
    public LeaseChange Taken(DateTimeOffset askedAt, DateTimeOffset now)
    {
        var change = Holds(now) ? LeaseChange.None : LeaseChange.Acquired;
        _validUntil = askedAt + Duration - Margin;
        _nextAttempt = askedAt + RenewEvery;
        _refused = false;
        return change;
    }

    /// <summary>Another activation holds the lease: stop dispatching at once and ask again soon.</summary>
    public LeaseChange Refused(DateTimeOffset now)
    {
        var change = Holds(now) ? LeaseChange.Lost : _refused ? LeaseChange.None : LeaseChange.HeldElsewhere;
        _validUntil = DateTimeOffset.MinValue;
        _nextAttempt = now + Margin;
        _refused = true;
        return change;
    }

    /// <summary>PostgreSQL did not answer: the lease runs out by itself unless a later attempt succeeds.</summary>
    public void Failed(DateTimeOffset now) => _nextAttempt = now + Margin;

    /// <summary>Whether the lease ran out since <paramref name="before"/> without a renewal (to say so once).</summary>
    public bool LapsedBetween(DateTimeOffset before, DateTimeOffset now) => before < _validUntil && now >= _validUntil;
}

/// <summary>What a lease attempt changed, for the one log line each change deserves.</summary>
public enum LeaseChange
{
    None,
    Acquired,
    Lost,
    HeldElsewhere,
}
