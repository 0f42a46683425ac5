using System.Globalization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>The validated query of recently-played: <c>limit</c> 1..50 (default 20) and at most one of
/// <c>after</c>/<c>before</c>, Unix milliseconds, exclusive.</summary>
internal sealed record RecentlyPlayedQuery(int Limit, long? After, long? Before)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;

    /// <summary>The query, or null with the Web API's 400 message.</summary>
    public static (RecentlyPlayedQuery? Query, string? Error) Parse(IQueryCollection query)
    {
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (null, "Invalid limit");
        }

        if (!TryParseCursor(query, "after", out var after))
        {
            return (null, "Invalid after cursor");
        }

        if (!TryParseCursor(query, "before", out var before))
        {
            return (null, "Invalid before cursor");
        }

        if (after is not null && before is not null)
        {
            return (null, "Only one of after and before may be specified");
        }

        return (new RecentlyPlayedQuery(limit, after, before), null);
    }

    private static bool TryParseCursor(IQueryCollection query, string name, out long? cursor)
    {
        cursor = null;
        if (!query.TryGetValue(name, out var text))
        {
            return true;
        }

        if (!long.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        cursor = value;
        return true;
    }
}
