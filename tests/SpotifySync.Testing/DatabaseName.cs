namespace SpotifySync.Testing;

/// <summary>
/// Unique, always-valid database names. The prefix only makes a leftover database recognisable
/// in logs; the random suffix is what keeps test classes isolated from each other.
/// </summary>
internal static class DatabaseName
{
    // PostgreSQL truncates identifiers at 63 bytes; staying well below keeps names intact.
    private const int MaxPrefixLength = 40;

    public static string Unique(string? prefix)
    {
        var cleaned = new string((prefix ?? "").ToLowerInvariant()
            .Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_')
            .Take(MaxPrefixLength)
            .ToArray()).Trim('_');
        var stem = cleaned.Length == 0 ? "test" : cleaned;
        return $"{stem}_{Guid.NewGuid():N}"[..Math.Min(63, stem.Length + 1 + 16)];
    }
}
