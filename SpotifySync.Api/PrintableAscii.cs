namespace SpotifySync.Api;

/// <summary>
/// Checks for values that end up in HTTP headers or in PostgreSQL text: a token with a non-ASCII character cannot be
/// sent to Spotify at all, and a NUL is refused by PostgreSQL. Returns the reason a value is refused, or null.
/// </summary>
public static class PrintableAscii
{
    /// <summary>A token: 1 to <paramref name="maxLength"/> characters, each 0x21 to 0x7E (no space).</summary>
    public static string? CheckToken(string field, string value, int maxLength)
    {
        if (value.Length == 0 || value.Length > maxLength)
        {
            return $"{field} must be 1 to {maxLength} characters long.";
        }
        return value.All(IsVisible) ? null : $"{field} may only hold printable ASCII characters (0x21 to 0x7E), no spaces or control characters.";
    }

    /// <summary>Words of printable ASCII separated by single spaces (an OAuth scope), at most <paramref name="maxLength"/> characters.</summary>
    public static string? CheckSpaceSeparated(string field, string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return $"{field} must be at most {maxLength} characters long.";
        }
        if (value.Length == 0)
        {
            return null;
        }
        var wellFormed = value.All(c => IsVisible(c) || c == ' ') && value[0] != ' ' && value[^1] != ' ' && !value.Contains("  ", StringComparison.Ordinal);
        return wellFormed ? null : $"{field} must be words of printable ASCII (0x21 to 0x7E) separated by single spaces.";
    }

    public static bool IsVisible(char c) => c is >= '\x21' and <= '\x7E';

    /// <summary>The OpenAPI <c>pattern</c> of <see cref="CheckToken"/> (without the length, stated as maxLength).</summary>
    public const string TokenPattern = "^[\\x21-\\x7E]+$";

    /// <summary>The OpenAPI <c>pattern</c> of <see cref="CheckSpaceSeparated"/>.</summary>
    public const string SpaceSeparatedPattern = "^([\\x21-\\x7E]+( [\\x21-\\x7E]+)*)?$";
}
