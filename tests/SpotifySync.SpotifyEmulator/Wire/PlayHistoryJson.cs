namespace SpotifySync.SpotifyEmulator;

/// <param name="PlayedAt">Pre-formatted: Spotify drops the fraction when the milliseconds are zero.</param>
internal sealed record PlayHistoryJson(TrackJson Track, string PlayedAt, ContextJson? Context);
