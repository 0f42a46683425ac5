namespace SpotifySync.Grains.Users;

/// <summary>
/// Orleans delivers a reminder tick once and never again: a tick whose enqueue at the coordinator failed (its silo
/// just died, the activation is moving) would leave the user unsynced for a whole interval. So the grain tries again,
/// one second and doubling, and gives up after <see cref="MaxAttempts"/> attempts (15 s of waiting): by then the
/// coordinator's failover is over (see the README's recovery figures), or something is wrong that retrying won't fix.
/// </summary>
public static class ReminderEnqueueRetry
{
    public const int MaxAttempts = 5;

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);

    /// <param name="failedAttempts">Failed enqueues so far (1 after the first failure).</param>
    /// <returns>How long to wait before the next attempt, or null when the tick should be given up.</returns>
    public static TimeSpan? DelayAfter(int failedAttempts) =>
        failedAttempts >= MaxAttempts ? null : SaveRetryDelay.After(failedAttempts, MaxDelay);
}
