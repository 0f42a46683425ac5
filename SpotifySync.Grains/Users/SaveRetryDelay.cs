namespace SpotifySync.Grains.Users;

/// <summary>
/// When to try again to save a row PostgreSQL refused: one second, doubled per failed attempt, capped. Soon
/// enough that a rotated refresh token reaches the table shortly after the database is back, slow enough
/// that thousands of grains waiting on an outage do not hammer it.
/// </summary>
public static class SaveRetryDelay
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    /// <param name="failedAttempts">Failed saves so far (1 after the first failure).</param>
    public static TimeSpan After(int failedAttempts, TimeSpan max)
    {
        var doublings = Math.Clamp(failedAttempts - 1, 0, 20);
        return TimeSpan.FromTicks(Math.Min(First.Ticks << doublings, max.Ticks));
    }
}
