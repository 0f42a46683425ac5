namespace SpotifySync.Grains.Users;

/// <summary>
/// Spotify's refresh tokens expire six months after the user authorised (since 2026-07-20). This is the
/// arithmetic of that rule: when it ends, when to warn, how to explain a refusal.
/// </summary>
public static class RefreshTokenLifetime
{
    /// <summary>Warnings are logged this many days ahead, once each.</summary>
    public static readonly IReadOnlyList<int> WarningDays = [30, 7];

    public static DateTimeOffset ExpiresAt(DateTimeOffset authorizedAt) => authorizedAt.AddMonths(6);

    /// <summary>The warning (in days ahead) to log now, or null when none is due or it was already given.</summary>
    public static int? WarningDue(DateTimeOffset authorizedAt, int? lastWarningDays, DateTimeOffset now)
    {
        var daysLeft = (ExpiresAt(authorizedAt) - now).TotalDays;
        int? due = null;
        foreach (var days in WarningDays)
        {
            if (daysLeft <= days && (due is null || days < due))
            {
                due = days;
            }
        }
        return due is { } d && (lastWarningDays is null || d < lastWarningDays) ? d : null;
    }

    /// <summary>Why Spotify refused the refresh token, in words for the app backend and the operator.</summary>
    public static string RejectionReason(DateTimeOffset? authorizedAt, DateTimeOffset now, string spotifyMessage) =>
        authorizedAt is { } at && ExpiresAt(at) <= now
            ? $"refresh token expired (authorised {at:yyyy-MM-dd}, six-month limit): user must reconnect"
            : $"refresh token revoked: user must reconnect ({spotifyMessage})";
}
