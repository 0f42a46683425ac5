using System.Globalization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Spotify's <c>played_at</c> text: milliseconds when there are any, none when they are zero.</summary>
public static class SpotifyTimestamp
{
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var format = utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }
}
