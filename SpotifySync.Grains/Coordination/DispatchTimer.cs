namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The coordinator's keep-alive dispatch timer. Its period follows <c>Sync:SpacingBetweenUsers</c>
/// (<see cref="DispatchRound.TickFor"/>), and with a spacing it is brought forward to the moment the next start is
/// allowed, rather than a whole tick later.
/// </summary>
public sealed class DispatchTimer(IGrainBase grain, Func<CancellationToken, Task> dispatch)
{
    private IGrainTimer? _timer;
    private TimeSpan _tick;

    /// <summary>Registers the timer, first due at once.</summary>
    public void Start(TimeSpan spacing)
    {
        _tick = DispatchRound.TickFor(spacing);
        _timer = grain.RegisterGrainTimer(dispatch, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = _tick,
            KeepAlive = true,
        });
    }

    /// <summary>Sync:SpacingBetweenUsers changed: the period follows.</summary>
    public void Adopt(TimeSpan spacing)
    {
        var tick = DispatchRound.TickFor(spacing);
        if (tick != _tick)
        {
            _tick = tick;
            _timer?.Change(tick, tick);
        }
    }

    public void WakeAt(DateTimeOffset wakeAt, DateTimeOffset now) => _timer?.Change(wakeAt - now, _tick);
}
