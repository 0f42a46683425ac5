namespace SpotifySync.Grains.Interfaces;

/// <summary>Queue lane at the coordinator: a person waiting on a button goes ahead of the schedule.</summary>
[GenerateSerializer]
public enum SyncPriority
{
    Manual = 0,
    Scheduled = 1,
}
