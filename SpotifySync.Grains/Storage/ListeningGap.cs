namespace SpotifySync.Grains.Storage;

/// <summary>
/// Plays between <see cref="From"/> (the cursor before a sync) and <see cref="To"/> (the oldest play Spotify still
/// returned) may have been pushed out of Spotify's 50-play window before we could read them.
/// </summary>
public sealed record ListeningGap(DateTimeOffset From, DateTimeOffset To);
