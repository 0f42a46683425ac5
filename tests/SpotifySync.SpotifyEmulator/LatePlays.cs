namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// Plays Spotify learnt about after newer ones (e.g. a track finished offline and synced later): they are not
/// in the user's <see cref="PlaySchedule"/>, so they are kept here, sorted by played_at, for
/// <see cref="PlayHistory"/> to merge in.
/// </summary>
internal sealed class LatePlays(string userId)
{
    private readonly Lock gate = new();

    // Replaced, never changed in place: readers take the current array without locking.
    private EmulatorPlay[] plays = [];

    /// <summary>All late plays so far, oldest first.</summary>
    public IReadOnlyList<EmulatorPlay> Snapshot => Volatile.Read(ref plays);

    /// <summary>Adds a play at <paramref name="playedAtMs"/>; its track is picked from the catalogue by how many
    /// late plays came before it, so a run is repeatable.</summary>
    /// <exception cref="InvalidOperationException">A play already happened at that millisecond: one device cannot
    /// finish two tracks at once, and two plays with one played_at would make the order ambiguous.</exception>
    public EmulatorPlay Add(PlaySchedule schedule, long playedAtMs)
    {
        var playedAt = DateTimeOffset.FromUnixTimeMilliseconds(playedAtMs);

        // Serialised so that two callers cannot both add a play at the same instant or lose each other's play.
        lock (gate)
        {
            var current = plays;
            var scheduledBefore = schedule.CountDue(playedAt.AddMilliseconds(-1));
            var lateBefore = CountBefore(current, playedAt);
            if (schedule.CountDue(playedAt) > scheduledBefore
                || (lateBefore < current.Length && current[lateBefore].PlayedAt == playedAt))
            {
                throw new InvalidOperationException(
                    $"User '{userId}' already has a play at {SpotifyTimestamp.Format(playedAt)}.");
            }

            var hash = StableHash.Of($"{userId}/late", current.Length);
            var track = FakeTrackCatalog.Tracks[StableHash.Pick(hash >> 8, FakeTrackCatalog.Tracks.Count)];
            var context = StableHash.Pick(hash >> 24, 3) == 0
                ? null
                : FakeTrackCatalog.Playlists[StableHash.Pick(hash >> 32, FakeTrackCatalog.Playlists.Count)];
            var play = new EmulatorPlay(userId, scheduledBefore + lateBefore, track, context, playedAt);

            Volatile.Write(ref plays, [.. current[..lateBefore], play, .. current[lateBefore..]]);
            return play;
        }
    }

    /// <summary>How many of the sorted <paramref name="sorted"/> plays are strictly older than <paramref name="playedAt"/>.</summary>
    private static int CountBefore(EmulatorPlay[] sorted, DateTimeOffset playedAt)
    {
        var low = 0;
        var high = sorted.Length;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (sorted[middle].PlayedAt < playedAt)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
