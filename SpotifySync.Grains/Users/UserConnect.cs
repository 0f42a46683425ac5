using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>
/// Stores a connect: the schedule (the persistent reminder) first, then the encrypted tokens and "active" in the row,
/// so that no row ever says active without a schedule. The first connect of an activation inserts the row rather than
/// reading it first (<see cref="RowFirstRead"/>): most such connects are new users, who have none.
/// </summary>
/// <param name="newConnection">Starts a new connection of the grain: a sync of an older one writes nothing any more.</param>
public sealed class UserConnect(
    string userId, UserRow row, RowFirstRead firstRead, UserSchedule schedule, TokenProtector tokens,
    IOptionsMonitor<SyncOptions> syncOptions, Action newConnection)
{
    private int _inFlight;

    /// <summary>Between registering the reminder and writing the row "active" (the grain is reentrant: see <see cref="ReminderTicks"/>).</summary>
    public bool InFlight => _inFlight > 0;

    public async Task StoreAsync(SpotifyConnection connection, DateTimeOffset now)
    {
        _inFlight++;
        try
        {
            if (firstRead.NotStarted)
            {
                // If the user had a row after all, it is loaded and the connect applied to it, on the schedule just registered.
                var (created, anchor) = await firstRead.By(CreateRowAsync(connection, now));
                if (!created)
                {
                    await ApplyAsync(connection, anchor, now);
                }
            }
            else
            {
                await firstRead.WaitAsync();
                await ApplyAsync(connection, await schedule.EnsureAsync(row.Current?.ScheduleAnchor, now), now);
            }
        }
        finally
        {
            _inFlight--;
        }
    }

    private async Task<(bool Created, DateTimeOffset Anchor)> CreateRowAsync(SpotifyConnection connection, DateTimeOffset now)
    {
        var anchor = await schedule.EnsureAsync(anchor: null, now);
        newConnection();
        return (await row.TryCreateAsync(Connected(null, connection, anchor, now), CancellationToken.None), anchor);
    }

    private Task ApplyAsync(SpotifyConnection connection, DateTimeOffset anchor, DateTimeOffset now)
    {
        newConnection();
        return row.ChangeAsync(current => Connected(current, connection, anchor, now), CancellationToken.None);
    }

    private SpotifyUserRecord Connected(SpotifyUserRecord? current, SpotifyConnection connection, DateTimeOffset anchor, DateTimeOffset now) =>
        UserRecordChanges.Connected(current, userId,
            tokens.Protect(connection.RefreshToken, userId),
            connection.AccessToken is { Length: > 0 } access ? tokens.Protect(access, userId) : null,
            connection.AccessTokenExpiresAt, connection.Scope, anchor, syncOptions.CurrentValue.Interval, now);
}
