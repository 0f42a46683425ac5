namespace SpotifySync.Grains.Options;

/// <summary>Configuration section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>The key id of <see cref="TokenEncryptionKey"/>, and of every token stored before key ids existed.</summary>
    public const string DefaultKeyId = "default";

    /// <summary>
    /// Base64 of a 256-bit key: Spotify tokens are encrypted with it before they reach PostgreSQL. Its key id is
    /// <see cref="DefaultKeyId"/>. Still accepted next to <see cref="TokenEncryptionKeys"/> (for reading older rows).
    /// </summary>
    public string TokenEncryptionKey { get; set; } = "";

    /// <summary>
    /// Keys with ids, for key rotation: the first is current (every write uses it), the others are only read with.
    /// Supersedes <see cref="TokenEncryptionKey"/> as the current key.
    /// </summary>
    public List<TokenEncryptionKeyOptions> TokenEncryptionKeys { get; set; } = [];
}

/// <summary>One entry of <c>Security:TokenEncryptionKeys</c>.</summary>
public sealed class TokenEncryptionKeyOptions
{
    /// <summary>Stored with every token encrypted with this key: 1–32 characters of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Base64 of 32 random bytes (<c>openssl rand -base64 32</c>).</summary>
    public string Key { get; set; } = "";
}
