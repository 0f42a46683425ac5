using Microsoft.Extensions.Logging;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Spotify;

namespace SpotifySync.Grains.Users;

/// <summary>
/// A 429 met by a call made for the app (the token broker's refresh, a code exchange) pauses the whole cluster, as a
/// sync's would: Spotify limits per app. Best effort: the app's answer does not depend on it.
/// </summary>
public static partial class ThrottleReport
{
    public static async Task SendAsync(Exception e, string userId, Func<ISyncCoordinatorGrain> coordinator, ILogger logger)
    {
        if (e is not SpotifyThrottledException throttled)
        {
            return;
        }
        try
        {
            await coordinator().ReportThrottledAsync(userId, throttled.RetryAfter, throttled.QuotaExceeded);
        }
        catch (Exception reportFailure)
        {
            LogFailed(logger, reportFailure, userId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: could not report Spotify's 429 to the coordinator")]
    private static partial void LogFailed(ILogger logger, Exception e, string userId);
}
