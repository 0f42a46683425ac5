using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// A user grain's copy of its <c>spotify_users</c> row. Memory is the truth for the activation: a change is
/// applied here first and then written, so a token Spotify just rotated, or an erase Spotify asked for, is
/// never forgotten because PostgreSQL was away; it stays <see cref="IsUnsaved"/> until <see cref="FlushAsync"/>
/// succeeds. One write at a time (the grain is reentrant). A version conflict (the row moved on without us) is
/// resolved by laying our copy over the stored row (<see cref="SpotifyUserRecord.RebasedOn"/>) and writing again.
/// </summary>
/// <param name="unsaved">Called whenever a write leaves memory ahead of the table, so the owner can schedule a retry.</param>
/// <param name="tokens">Every write stores the row's tokens under the current key (<see cref="UserRecordChanges.OnCurrentKey"/>).</param>
public sealed partial class UserRow(
    string userId, SpotifyUserStore store, ListeningDataWriter writer, TokenProtector tokens, Action unsaved, ILogger logger)
{
    private const int ConflictRetries = 3;
    private const int StaleConnectionAttempts = 3;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public SpotifyUserRecord? Current { get; private set; }

    /// <summary>Memory is ahead of the table: something must write it before this activation goes away.</summary>
    public bool IsUnsaved { get; private set; }

    /// <summary>Saves refused in a row since the last successful one (paces the retries).</summary>
    public int FailedSaves { get; private set; }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Current = await WithFreshConnectionsAsync(() => store.LoadAsync(userId, cancellationToken));
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e))
        {
            LogLoadFailed(e, userId);
            throw Unavailable();
        }
        catch (Exception e) when (StorageFailure.AtGrainBoundary(e, $"to load user {userId}") is { } boundary)
        {
            LogLoadFailed(e, userId);
            throw boundary;
        }
    }

    /// <summary>
    /// The first thing an activation does with its row when that is a connect: inserts <paramref name="record"/> as
    /// the user's first row if there is none (true), else loads the row that exists (false) for the connect to be
    /// applied to it. Either way <see cref="Current"/> is the table's truth afterwards, as after <see cref="LoadAsync"/>.
    /// Nothing is kept in memory when PostgreSQL is away: with no row read, there is nothing to keep it over.
    /// </summary>
    public async Task<bool> TryCreateAsync(SpotifyUserRecord record, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var first = UserRecordChanges.OnCurrentKey(record, tokens);
            if (await WithFreshConnectionsAsync(() => store.TryInsertAsync(first, cancellationToken)) is { } inserted)
            {
                Current = inserted;
                return true;
            }
            Current = await WithFreshConnectionsAsync(() => store.LoadAsync(userId, cancellationToken));
            return false;
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e))
        {
            LogLoadFailed(e, userId);
            throw new StorageUnavailableException($"PostgreSQL is unavailable: user {userId} could not be connected; nothing was stored, the connect may be repeated");
        }
        catch (Exception e) when (StorageFailure.AtGrainBoundary(e, $"the first row of user {userId}") is { } boundary)
        {
            LogChangeRefused(e, userId);
            throw boundary;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> and writes it. If PostgreSQL is away the change stays in memory, unsaved,
    /// and <see cref="StorageUnavailableException"/> tells the caller it is not stored yet. A change PostgreSQL
    /// refuses for what it is (not for being away) is undone and its error rethrown.
    /// </summary>
    public async Task<SpotifyUserRecord> ChangeAsync(Func<SpotifyUserRecord?, SpotifyUserRecord> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var before = (Current, IsUnsaved);
            Current = UserRecordChanges.OnCurrentKey(change(Current), tokens);
            IsUnsaved = true;
            try
            {
                await WriteAsync(cancellationToken);
            }
            catch (Exception e) when (e is not StorageUnavailableException)
            {
                (Current, IsUnsaved) = before;
                if (StorageFailure.AtGrainBoundary(e, $"the state of user {userId}") is { } boundary)
                {
                    LogChangeRefused(e, userId);
                    throw boundary;
                }
                throw;
            }
            return Current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary><see cref="ChangeAsync"/> for changes that may wait for PostgreSQL: false when the change is only in memory for now.</summary>
    public async Task<bool> TryChangeAsync(Func<SpotifyUserRecord, SpotifyUserRecord> change, CancellationToken cancellationToken)
    {
        try
        {
            await ChangeAsync(current => change(current!), cancellationToken);
            return true;
        }
        catch (StorageUnavailableException)
        {
            return false;
        }
    }

    /// <summary>
    /// Commits a sync: the plays and the changed row in one transaction. Unlike <see cref="ChangeAsync"/>, nothing
    /// of it is kept in memory when the commit fails: the cursor must only move with the plays it covers.
    /// </summary>
    public async Task<SpotifyUserRecord> CommitAsync(
        Func<SpotifyUserRecord, SpotifyUserRecord> change, IReadOnlyList<ListeningRow> rows, DateTimeOffset syncedAt, ListeningGap? gap,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var next = UserRecordChanges.OnCurrentKey(change(Current!), tokens);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var pending = next;
                    Current = await WithFreshConnectionsAsync(() => writer.CommitAsync(pending, rows, syncedAt, cancellationToken, gap));
                    MarkSaved();
                    return Current;
                }
                catch (ConcurrencyConflictException) when (attempt < ConflictRetries)
                {
                    next = next.RebasedOn(await ReloadAsync(cancellationToken));
                }
                catch (Exception e) when (StorageFailure.IsUnavailable(e))
                {
                    throw Unavailable();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes what only memory holds; true when the table is up to date.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsUnsaved)
            {
                await WriteAsync(cancellationToken);
            }
            return true;
        }
        catch (Exception e) when (e is StorageUnavailableException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var record = Current!;
                Current = await WithFreshConnectionsAsync(() => store.SaveAsync(record, cancellationToken));
                MarkSaved();
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < ConflictRetries)
            {
                Current = Current!.RebasedOn(await ReloadAsync(cancellationToken));
                LogConflictResolved(userId, Current.Version);
            }
            catch (Exception e) when (StorageFailure.IsUnavailable(e))
            {
                if (++FailedSaves == 1)
                {
                    // Once per outage, not once per retry.
                    LogSaveFailed(e, userId);
                }
                unsaved();
                throw Unavailable();
            }
        }
    }

    private async Task<SpotifyUserRecord?> ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await WithFreshConnectionsAsync(() => store.LoadAsync(userId, cancellationToken));
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e))
        {
            FailedSaves++;
            unsaved();
            throw Unavailable();
        }
    }

    /// <summary>
    /// After PostgreSQL restarts, the pool still holds connections the restart killed, and the first command on each
    /// fails; a few immediate attempts reach a fresh one. A redone commit is harmless (its version check and the
    /// play key make a repeat a no-op or a conflict, which is resolved).
    /// </summary>
    private static async Task<T> WithFreshConnectionsAsync<T>(Func<Task<T>> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (Exception e) when (attempt < StaleConnectionAttempts && StorageFailure.IsUnavailable(e))
            {
                // The failed connection is discarded by Npgsql; the next attempt takes another.
            }
        }
    }

    private void MarkSaved()
    {
        if (FailedSaves > 0)
        {
            LogSavedAgain(userId, FailedSaves);
        }
        IsUnsaved = false;
        FailedSaves = 0;
    }

    private StorageUnavailableException Unavailable() =>
        new($"PostgreSQL is unavailable: the state of user {userId} is not stored yet; it is kept and saved when PostgreSQL answers again");

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: could not save the user's state (PostgreSQL unavailable); kept in memory and retried until it is stored")]
    private partial void LogSaveFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: state saved after {FailedAttempts} failed attempts")]
    private partial void LogSavedAgain(string userId, int failedAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: the stored row moved on (version {Version}); our tokens and state were laid over it")]
    private partial void LogConflictResolved(string userId, long version);

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: could not load the user's state (PostgreSQL unavailable)")]
    private partial void LogLoadFailed(Exception e, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "User {UserId}: PostgreSQL refused the change of the user's state; it was undone")]
    private partial void LogChangeRefused(Exception e, string userId);
}
