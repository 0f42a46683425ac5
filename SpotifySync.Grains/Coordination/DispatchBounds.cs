namespace SpotifySync.Grains.Coordination;

/// <summary>The limits one dispatch round works within, from <c>Sync:*</c> options.</summary>
/// <param name="Spacing"><c>Sync:SpacingBetweenUsers</c>: the least time between two granted starts.</param>
/// <param name="MaxConcurrent"><c>Sync:MaxConcurrentSyncs</c>: dispatched and running syncs at most.</param>
/// <param name="ClaimPatience"><c>Sync:StartClaimPatience</c>: how long an unclaimed dispatch holds back the next start.</param>
/// <param name="ClaimTimeout"><c>Sync:StartClaimTimeout</c>: when an unclaimed dispatch is given up and its user queued again.</param>
/// <param name="MaxPerTick">Dispatches per round at most, so one round never holds the coordinator's turn for long.</param>
public sealed record DispatchBounds(TimeSpan Spacing, int MaxConcurrent, TimeSpan ClaimPatience, TimeSpan ClaimTimeout, int MaxPerTick);
