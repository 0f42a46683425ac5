namespace SpotifySync.Grains.Interfaces;

/// <summary>The cluster's <c>invalid_grant</c> storm detector, as <c>GET /api/sync/status</c> shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record InvalidGrantStormStatus
{
    /// <summary>True while no refresh is sent because of a storm.</summary>
    [Id(0)] public bool Active { get; init; }

    /// <summary>When the last storm was detected (null if none since the coordinator started).</summary>
    [Id(1)] public DateTimeOffset? DetectedAt { get; init; }

    /// <summary>Until when refreshes are paused; the quarantined users are retried one at a time after it.</summary>
    [Id(2)] public DateTimeOffset? RefreshesPausedUntil { get; init; }

    /// <summary>Distinct users refused within the window when the last storm was detected.</summary>
    [Id(3)] public int UsersRefused { get; init; }

    /// <summary>Users whose tokens are kept right now: waiting for their window's verdict or for their retry.</summary>
    [Id(4)] public int QuarantinedUsers { get; init; }
}
