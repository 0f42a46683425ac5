namespace SpotifySync.Grains.Users;

/// <summary>
/// How long a grain call from the app may wait on a Spotify call that must not be cancelled halfway (its answer may
/// carry a new refresh token, which must be stored): the caller stops waiting after <see cref="Longest"/>, the call goes
/// on and its result is stored when it arrives.
/// </summary>
public static class CallerWait
{
    /// <summary>Well inside the API's <c>Api:ClusterCallTimeout</c> (10 s by default).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True when <paramref name="work"/> finished within <paramref name="maxWait"/> (the caller then awaits it for its
    /// result or exception); false when it still runs: a failure it ends with later goes to <paramref name="failedLater"/>.
    /// </summary>
    public static async Task<bool> FinishedWithinAsync(Task work, TimeSpan maxWait, TimeProvider time, Action<Exception> failedLater)
    {
        using var timer = new CancellationTokenSource();
        var first = await Task.WhenAny(work, Task.Delay(maxWait, time, timer.Token));
        if (first == work)
        {
            await timer.CancelAsync();
            return true;
        }
        _ = work.ContinueWith(
            t => failedLater(t.Exception!.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Current);
        return false;
    }
}
