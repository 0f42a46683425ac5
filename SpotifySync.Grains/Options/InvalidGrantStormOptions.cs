using System.ComponentModel.DataAnnotations;

namespace SpotifySync.Grains.Options;

/// <summary>
/// Configuration section <c>Sync:InvalidGrantStorm</c>: when refused refresh tokens (<c>invalid_grant</c>) across the
/// cluster are Spotify's incident rather than the users' own revocations. A storm needs both: at least
/// <see cref="MinUsers"/> users refused and at least <see cref="MinShare"/> of the refresh attempts refused, within
/// <see cref="Window"/>.
/// </summary>
public sealed class InvalidGrantStormOptions
{
    public const string SectionName = "Sync:InvalidGrantStorm";

    /// <summary>Distinct users refused within the window before it can be a storm.</summary>
    [Range(1, 1_000_000)]
    public int MinUsers { get; set; } = 10;

    /// <summary>Share (0..1] of the refresh attempts within the window that were refused.</summary>
    [Range(0.000001, 1.0)]
    public double MinShare { get; set; } = 0.2;

    /// <summary>
    /// How far back refusals and attempts are counted; also how long a refused user's tokens are kept (quarantined)
    /// before they are erased, in case the refusal turns out to be the start of a storm.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long no refresh is sent once a storm is detected; then the quarantined users are retried one at a time.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Pause { get; set; } = TimeSpan.FromMinutes(30);
}
