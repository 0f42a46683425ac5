using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;
using SpotifySync.Grains.Users;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The safety net under the reminders: every <c>Sync:MissedSyncCheckPeriod</c> it asks PostgreSQL for active users
/// whose scheduled sync is overdue (<see cref="MissedSchedule"/>) and hands the ones to nudge to the coordinator.
/// Queried off the coordinator's turns, like <see cref="ExpiringUsersWatch"/>: no coordinator turn waits on the
/// database. Only the coordinator's turns call it.
/// </summary>
public sealed partial class MissedSyncWatch(
    SpotifyUserStore users, IOptionsMonitor<SyncOptions> options, TimeSpan timeout, ILogger logger)
{
    /// <summary>
    /// Users per check, oldest first. After an outage every user is overdue at once: the reminders bring them back
    /// within an interval anyway, so the check only needs to add a steady trickle, not queue the whole table.
    /// </summary>
    public const int Limit = 1_000;

    private readonly MissedSyncNudges _nudges = new();
    private Task<IReadOnlyList<string>?>? _query;
    private DateTimeOffset _nextQuery = DateTimeOffset.MinValue;
    private bool _failing;

    /// <summary>
    /// Takes the last query's answer and starts the next one when due; never waits. Returns the users to nudge:
    /// overdue, not <paramref name="held"/> by the coordinator, not nudged within the last interval.
    /// </summary>
    public IReadOnlyList<string> Tick(DateTimeOffset now, Func<string, bool> held)
    {
        var current = options.CurrentValue;
        if (!current.Enabled || current.MissedSyncCheckPeriod <= TimeSpan.Zero)
        {
            return [];
        }
        IReadOnlyList<string> nudge = [];
        if (_query is { IsCompleted: true } done)
        {
            _query = null;
            if (done.Result is { } overdue)
            {
                nudge = _nudges.Select(overdue, held, current.Interval, now);
            }
        }
        if (_query is null && now >= _nextQuery)
        {
            _nextQuery = now + current.MissedSyncCheckPeriod;
            var dueBefore = MissedSchedule.DueBefore(now, current.MissedSyncGrace);
            _query = Task.Run(() => QueryAsync(dueBefore, current.Interval));
        }
        return nudge;
    }

    private async Task<IReadOnlyList<string>?> QueryAsync(DateTimeOffset dueBefore, TimeSpan interval)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var overdue = await users.ListOverdueUserIdsAsync(dueBefore, interval, Limit, cancel.Token);
            _failing = false;
            return overdue;
        }
        catch (Exception e)
        {
            if (!_failing)
            {
                LogQueryFailed(e);
            }
            _failing = true;
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for users whose scheduled sync is overdue; trying again at the next check")]
    private partial void LogQueryFailed(Exception e);
}
