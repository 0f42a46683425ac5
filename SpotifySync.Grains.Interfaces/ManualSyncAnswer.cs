namespace SpotifySync.Grains.Interfaces;

/// <summary>
/// What "Sync Data" got: <see cref="Ticket"/> names the sync that serves it (just queued, or, within the manual-sync
/// cooldown, the one still pending); null with an active <see cref="Status"/> means the cooldown answers with the
/// last outcome (in <see cref="Status"/>); null with an inactive one means the user cannot sync.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ManualSyncAnswer(
    [property: Id(0)] QueueTicket? Ticket,
    [property: Id(1)] UserSyncStatus Status,
    [property: Id(2)] DateTimeOffset? CooldownUntil);
