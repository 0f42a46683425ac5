using System.ComponentModel.DataAnnotations;

namespace SpotifySync.Grains.Options;

/// <summary>Configuration section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Base64 of a 256-bit key: Spotify tokens are encrypted with it before they reach PostgreSQL.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TokenEncryptionKey { get; set; } = "";
}
