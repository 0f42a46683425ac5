using System.ComponentModel.DataAnnotations;

namespace SpotifySync.Grains.Options;

/// <summary>Configuration section <c>Spotify</c>: the app's credentials and where Spotify lives.</summary>
public sealed class SpotifyOptions
{
    public const string SectionName = "Spotify";

    [Required(AllowEmptyStrings = false)]
    public string ClientId { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string ClientSecret { get; set; } = "";

    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://api.spotify.com/");

    [Required]
    public Uri AccountsBaseUrl { get; set; } = new("https://accounts.spotify.com/");

    /// <summary>Upper bound for one HTTP call to Spotify.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
