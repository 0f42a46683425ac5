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

    /// <summary>
    /// User syncs in flight at once, cluster-wide. With a call budget, enough syncs must wait on Spotify's latency
    /// (100–300 ms) at once to use the whole budget; this bounds how many.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentSyncs { get; set; } = 64;

    /// <summary>
    /// How often the coordinator looks for users whose scheduled sync is overdue (a reminder tick Orleans skipped or a
    /// reminder lost) and has their grain queue it and restore the reminder. Zero turns the check off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MissedSyncCheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A user counts as overdue when no sync started for one interval plus this: room for a reminder tick's own
    /// lateness and the queue's, so that the check never races a tick that is merely late.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MissedSyncGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Queue every active user when the cluster starts.</summary>
    public bool RunOnStartup { get; set; }

    /// <summary>How long a 429 without a usable Retry-After pauses the queue; doubled for each further one in a row.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of the doubled <see cref="DefaultRetryAfter"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDefaultRetryAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long dispatch pauses when Spotify rejects the app's own credentials (<c>invalid_client</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CredentialsRejectedPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After this many failed syncs in a row a user's scheduled syncs back off (wait doubles each time).</summary>
    [Range(1, 100)]
    public int FailureBackoffAfter { get; set; } = 3;

    /// <summary>Longest wait between scheduled syncs of a failing user.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromDays(1);

    /// <summary>When a sync finds a possible gap (50 new plays), an extra sync of that user follows after this.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan GapFollowUpDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A dispatched user must claim its start within this time (its grain may be busy or its silo gone);
    /// after it the slot goes to the next user and this one goes back to the front of the queue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartClaimTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With a spacing, one dispatched user at a time waits for its claim; after this long without it, the next user
    /// may go out (the late claim still starts if it keeps the spacing, or goes back to the queue). A grain whose
    /// silo cannot be reached then costs the queue this much, not a whole <see cref="StartClaimTimeout"/>; each further
    /// dispatch that goes out while none has been claimed since waits half as long (down to 1/32).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan StartClaimPatience { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest wait between two attempts to save a user's row that PostgreSQL refused (a rotated refresh token,
    /// an erase, an outcome); attempts start at one second and double up to this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SaveRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A started sync that never reports back is forgotten after this long (its silo died).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Length of the coordinator's dispatch lease in PostgreSQL (renewed every quarter of it). Only its holder
    /// dispatches, so two coordinator activations during a membership change never both pace Spotify's calls; a new
    /// activation after a silo's crash waits at most this long for the dead one's lease to expire.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CoordinatorLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A user's grain holds nothing PostgreSQL does not, so an idle one leaves memory after this long: with hourly
    /// syncs only the users synced in the last few minutes are in memory. A grain with a save still to retry stays
    /// until the save succeeds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "1.00:00:00")]
    public TimeSpan IdleUserCollectionAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often Orleans' collector deactivates the grains whose idle age ran out (at most half the age; see
    /// <see cref="Users.IdleUserCollection"/>): it takes all of one quantum's grains at once, so a short one spreads
    /// the deactivations of a connect storm or a sync-all instead of stopping the silos for a burst.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan IdleUserCollectionQuantum { get; set; } = TimeSpan.FromSeconds(5);
}
