namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// A user's history as Spotify shows it: the scheduled plays and the late ones in one order, by played_at.
/// Late plays are merged in when read, so a user without them gets exactly the schedule's own plays.
/// </summary>
internal static class PlayHistory
{
    /// <summary>
    /// The newest <paramref name="keep"/> plays of both lists together, oldest first. Each list must be the newest
    /// part (oldest first) of its own history, with at least <paramref name="keep"/> plays unless that is all of it.
    /// A late play shifts the positions of the plays after it, so every play is renumbered from
    /// <paramref name="historyLength"/>, the number of plays in the whole merged history.
    /// </summary>
    public static IReadOnlyList<EmulatorPlay> Newest(
        IReadOnlyList<EmulatorPlay> scheduled, IReadOnlyList<EmulatorPlay> late, long historyLength, int keep)
    {
        if (late.Count == 0)
        {
            return scheduled.Count <= keep ? scheduled : [.. scheduled.Skip(scheduled.Count - keep)];
        }

        var merged = new EmulatorPlay[Math.Min(keep, scheduled.Count + late.Count)];
        var s = scheduled.Count - 1;
        var l = late.Count - 1;
        for (var k = merged.Length - 1; k >= 0; k--)
        {
            var play = l < 0 || (s >= 0 && scheduled[s].PlayedAt > late[l].PlayedAt) ? scheduled[s--] : late[l--];
            merged[k] = play.At(historyLength - merged.Length + k);
        }

        return merged;
    }
}
