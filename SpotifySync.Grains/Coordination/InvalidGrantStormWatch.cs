using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The coordinator's wiring of <see cref="InvalidGrantStorm"/>: it answers the user grains' "may I refresh?", logs a
/// storm once, and on the coordinator's timer sends the verdicts (erase, retry one at a time) to the quarantined
/// users' grains, one-way, so the coordinator never waits on Spotify.
/// </summary>
public sealed partial class InvalidGrantStormWatch(IGrainFactory grains, IOptionsMonitor<InvalidGrantStormOptions> options, ILogger logger)
{
    private readonly InvalidGrantStorm _storm = new();

    public void Restore(IEnumerable<string> quarantinedUserIds, StoredPause? pause) =>
        _storm.Restore(quarantinedUserIds, pause is { Kind: DispatchPauseKind.InvalidGrantStorm } p ? p.Until : null);

    public bool MayRefresh(DateTimeOffset now) => _storm.TryBeginRefresh(now, options.CurrentValue);

    /// <summary>Counts the refusal; when it makes a storm, returns how long dispatch must pause, and why.</summary>
    public (DateTimeOffset Until, string Reason)? Refused(string userId, DateTimeOffset now)
    {
        var o = options.CurrentValue;
        if (!_storm.Refused(userId, now, o))
        {
            return null;
        }
        var until = _storm.PausedUntil!.Value;
        LogStorm(_storm.UsersRefusedAtDetection, o.Window, until);
        return (until, $"invalid_grant storm: Spotify refused the refresh tokens of {_storm.UsersRefusedAtDetection} users within "
            + $"{o.Window}; no refresh is sent until {until:O}, then the {_storm.Quarantined} quarantined users are retried one at a time");
    }

    public void Lifted(string userId) => _storm.Lifted(userId);

    /// <summary>
    /// On every timer tick: erase the users whose window closed without a storm. No Spotify call, so neither the
    /// dispatch lease nor a pause holds it back (an erase Spotify asked for must not wait for PostgreSQL either).
    /// </summary>
    public async Task EraseDueAsync(DateTimeOffset now)
    {
        foreach (var userId in _storm.TakeDueForErase(now))
        {
            await grains.GetGrain<IUserSyncGrain>(userId).ResolveQuarantineAsync(QuarantineVerdict.Erase);
        }
    }

    /// <summary>On the timer, while dispatching (lease held, no pause): retry the next quarantined user after a storm.</summary>
    public async Task RetryNextAsync(DateTimeOffset now)
    {
        if (_storm.Ended(now))
        {
            LogStormOver(_storm.Quarantined);
        }
        if (_storm.TakeNextRetry(now) is { } retry)
        {
            await grains.GetGrain<IUserSyncGrain>(retry).ResolveQuarantineAsync(QuarantineVerdict.Retry);
        }
    }

    public InvalidGrantStormStatus Status(DateTimeOffset now) => new()
    {
        Active = _storm.IsStorm(now),
        DetectedAt = _storm.DetectedAt,
        RefreshesPausedUntil = _storm.IsStorm(now) ? _storm.PausedUntil : null,
        UsersRefused = _storm.UsersRefusedAtDetection,
        QuarantinedUsers = _storm.Quarantined,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "invalid_grant storm: Spotify refused the refresh tokens of {Users} users within {Window}; this is Spotify's incident, not the users': no refresh is sent until {Until}, the refused users' tokens are kept (quarantined) and retried one at a time after it")]
    private partial void LogStorm(int users, TimeSpan window, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "invalid_grant storm over: retrying {Quarantined} quarantined users one at a time")]
    private partial void LogStormOver(int quarantined);
}
