namespace SpotifySync.SpotifyEmulator;

/// <summary>A hash that is the same in every process (string.GetHashCode is randomised per process),
/// so a user's history is the same on every run.</summary>
internal static class StableHash
{
    public static ulong Of(string text, long salt = 0)
    {
        // FNV-1a over the UTF-16 code units, then a SplitMix64 finaliser to spread the salt.
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return Mix(hash ^ ((ulong)salt * 0x9E3779B97F4A7C15UL));
    }

    public static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    public static int Pick(ulong hash, int count) => (int)(hash % (ulong)count);
}
