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

    /// <summary>Upper bound for one attempt of an HTTP call to Spotify.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a call that failed with 5xx or timed out (never of a 429).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Cluster-wide budget: at most this many HTTP requests to Spotify (token endpoint and Web API, retries
    /// included) in any rolling 30 s, adapting below it after a 429. 0: no budget (pace by spacing alone).
    /// </summary>
    [Range(0, 10_000_000)]
    public int CallsPer30Seconds { get; set; }

    /// <summary>First retry delay; doubled for each further retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}
