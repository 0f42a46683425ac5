using System.ComponentModel.DataAnnotations;

namespace SpotifySync.Grains.Options;

/// <summary>Configuration section <c>Sync</c>: the schedule and the cluster-wide pace.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>Scheduled syncs on or off; manual syncs always run.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two scheduled syncs of one user (the reminder period).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gap the coordinator keeps between starting two users' syncs, cluster-wide.</summary>
    public TimeSpan SpacingBetweenUsers { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Queue every active user when the cluster starts.</summary>
    public bool RunOnStartup { get; set; }

    /// <summary>How long a 429 without a usable Retry-After pauses the queue.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A dispatched user must claim its start within this time (its grain may be busy or its silo gone);
    /// after it the slot goes to the next user and this one goes back to the front of the queue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartClaimTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A started sync that never reports back is forgotten after this long (its silo died).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
