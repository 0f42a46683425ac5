namespace SpotifySync.Grains.Users;

/// <summary>
/// When a user grain first reads its row: at the first call that needs it, not on activation, so that the first
/// connect of a new user can insert the row instead (<see cref="UserRow.TryCreateAsync"/>): one round trip to
/// PostgreSQL, not a read that finds nothing followed by the write. Every call waits for that first read or insert
/// (the grain is reentrant); one that failed because PostgreSQL was away is tried again by the next call.
/// </summary>
public sealed class RowFirstRead(UserRow row)
{
    private Task? _read;

    /// <summary>Nothing has read or written the row yet: a connect may insert it.</summary>
    public bool NotStarted => _read is null;

    public Task WaitAsync()
    {
        if (_read is null || _read.IsFaulted || _read.IsCanceled)
        {
            _read = row.LoadAsync(CancellationToken.None);
        }
        return _read;
    }

    /// <summary>The row is first read (or inserted) by <paramref name="insertOrRead"/>: every other call waits for it.</summary>
    public Task<T> By<T>(Task<T> insertOrRead)
    {
        _read = insertOrRead;
        return insertOrRead;
    }
}
