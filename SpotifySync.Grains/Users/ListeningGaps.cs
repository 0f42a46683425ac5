using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Users;

/// <summary>What a page of plays says about the user's cursor and about plays we may have missed.</summary>
public static class ListeningGaps
{
    /// <summary>
    /// Spotify keeps only 50 plays: if all 50 it returned are newer than our cursor, older unseen plays may have
    /// been pushed out. A first sync (no cursor) is not a gap: there is nothing older we could have read.
    /// </summary>
    public static ListeningGap? PossibleGap(DateTimeOffset? cursor, IReadOnlyList<ListeningRow> rows)
    {
        if (cursor is not { } from || rows.Count < SpotifyWebApiClient.MaxRecentlyPlayed)
        {
            return null;
        }
        var oldest = rows.Min(r => r.PlayedAt);
        return oldest > from ? new ListeningGap(from, oldest) : null;
    }

    /// <summary>The new cursor: the newest play stored, never moving back.</summary>
    public static DateTimeOffset? Cursor(DateTimeOffset? current, IReadOnlyList<ListeningRow> rows)
    {
        if (rows.Count == 0)
        {
            return current;
        }
        var newest = rows.Max(r => r.PlayedAt);
        return current is { } c && c > newest ? c : newest;
    }
}
