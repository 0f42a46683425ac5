namespace SpotifySync.SpotifyEmulator;

/// <summary>22-character base62 ids shaped like Spotify's, derived from a seed so they never change.</summary>
internal static class SpotifyId
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string From(string seed)
    {
        Span<char> id = stackalloc char[22];
        var hash = StableHash.Of(seed);
        for (var i = 0; i < id.Length; i++)
        {
            hash = StableHash.Mix(hash);
            id[i] = Alphabet[StableHash.Pick(hash, Alphabet.Length)];
        }

        return new string(id);
    }
}
