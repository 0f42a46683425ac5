using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The users whose refresh token expires within 30 days, and whether PostgreSQL answered the last time it was asked,
/// as the coordinator's status shows them. Queried off the coordinator's turns every <see cref="RefreshEvery"/>: every
/// readiness probe asks for the status, and no coordinator turn may wait on the database. Only the coordinator's turns
/// call it.
/// </summary>
public sealed partial class ExpiringUsersWatch(SpotifyUserStore users, TimeSpan timeout, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);
    private const int Limit = 100;

    private Task<IReadOnlyList<ExpiringUser>?>? _query;
    private DateTimeOffset _nextQuery = DateTimeOffset.MinValue;
    private bool _failing;

    public IReadOnlyList<ExpiringUser> Users { get; private set; } = [];

    /// <summary>Whether PostgreSQL answered the last query (at most <see cref="RefreshEvery"/> plus a timeout ago).</summary>
    public bool DatabaseReachable { get; private set; }

    /// <summary>The first query, awaited when the coordinator activates.</summary>
    public async Task RefreshNowAsync()
    {
        Apply(await QueryAsync());
        _nextQuery = time.GetUtcNow() + RefreshEvery;
    }

    /// <summary>Takes the last query's answer and starts the next one when due; never waits.</summary>
    public void Tick(DateTimeOffset now)
    {
        if (_query is { IsCompleted: true } done)
        {
            _query = null;
            Apply(done.Result);
        }
        if (_query is null && now >= _nextQuery)
        {
            _nextQuery = now + RefreshEvery;
            _query = Task.Run(QueryAsync);
        }
    }

    private async Task<IReadOnlyList<ExpiringUser>?> QueryAsync()
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var expiring = await users.ListExpiringAsync(time.GetUtcNow().AddDays(30), Limit, cancel.Token);
            return [.. expiring.Select(u => new ExpiringUser(u.UserId, u.ExpiresAt))];
        }
        catch (Exception e)
        {
            if (!_failing)
            {
                LogQueryFailed(e);
            }
            return null;
        }
    }

    private void Apply(IReadOnlyList<ExpiringUser>? expiring)
    {
        _failing = expiring is null;
        DatabaseReachable = expiring is not null;
        Users = expiring ?? Users;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list users whose refresh token expires soon; status says PostgreSQL is unreachable")]
    private partial void LogQueryFailed(Exception e);
}
