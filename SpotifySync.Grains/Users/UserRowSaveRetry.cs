namespace SpotifySync.Grains.Users;

/// <summary>
/// Saves a user's row again while the grain's memory is ahead of the table (a rotated refresh token, an erase, an
/// outcome PostgreSQL did not take): 1 s, doubling up to <c>Sync:SaveRetryMaxDelay</c>. Its timer is a keep-alive
/// timer, so the activation is not collected meanwhile; a deactivation keeps trying for as long as Orleans lets it.
/// </summary>
public sealed class UserRowSaveRetry(IGrainBase grain, UserRow row, Func<TimeSpan> maxDelay, TimeProvider time)
{
    private IGrainTimer? _timer;

    /// <summary>Starts the timer unless the row is saved or the timer already runs.</summary>
    public void StartIfUnsaved()
    {
        if (!row.IsUnsaved || _timer is not null)
        {
            return;
        }
        _timer = grain.RegisterGrainTimer(RetryAsync, new GrainTimerCreationOptions
        {
            DueTime = NextDelay(),
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
            Interleave = true,
        });
    }

    /// <summary>The deactivation's last chance: false when the row is still unsaved as Orleans stops waiting.</summary>
    public async Task<bool> FlushBeforeDeactivationAsync(CancellationToken cancellationToken)
    {
        while (row.IsUnsaved && !await row.FlushAsync(cancellationToken))
        {
            try
            {
                await Task.Delay(NextDelay(), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return true;
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        if (await row.FlushAsync(cancellationToken))
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }
        _timer?.Change(NextDelay(), Timeout.InfiniteTimeSpan);
    }

    private TimeSpan NextDelay() => SaveRetryDelay.After(row.FailedSaves, maxDelay());
}
