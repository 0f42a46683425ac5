namespace SpotifySync.Grains.Interfaces;

/// <summary>Why a sync was queued; recorded on the user so operators can tell schedule from button.</summary>
[GenerateSerializer]
public enum SyncTrigger
{
    Scheduled = 0,
    Manual = 1,
    Connect = 2,
    SyncAll = 3,
    Startup = 4,
    /// <summary>The extra, early sync after a possible gap in Spotify's 50-play window.</summary>
    GapFollowUp = 5,
}

public static class SyncTriggerExtensions
{
    public static SyncPriority Priority(this SyncTrigger trigger) => trigger switch
    {
        SyncTrigger.Manual or SyncTrigger.Connect => SyncPriority.Manual,
        _ => SyncPriority.Scheduled,
    };

    public static string ToWireName(this SyncTrigger trigger) => trigger switch
    {
        SyncTrigger.Scheduled => "scheduled",
        SyncTrigger.Manual => "manual",
        SyncTrigger.Connect => "connect",
        SyncTrigger.SyncAll => "sync_all",
        SyncTrigger.Startup => "startup",
        SyncTrigger.GapFollowUp => "gap_follow_up",
        _ => trigger.ToString().ToLowerInvariant(),
    };
}
