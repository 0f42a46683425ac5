namespace SpotifySync.SpotifyEmulator;

/// <summary>One play in a user's history, as the sync should store it.</summary>
public sealed class EmulatorPlay
{
    internal EmulatorPlay(string userId, long sequence, FakeTrack track, PlayContext? context, DateTimeOffset playedAt)
    {
        UserId = userId;
        Sequence = sequence;
        Track = track;
        Context = context;
        PlayedAt = playedAt;
    }

    public string UserId { get; }

    /// <summary>Position in the user's whole history, 0 for the oldest play. A play reported late moves the
    /// plays after it up by one.</summary>
    public long Sequence { get; }

    /// <summary>Null for a local file.</summary>
    public string? TrackId => Track.Id;

    public string TrackUri => Track.Uri;

    public string TrackName => Track.Name;

    /// <summary>The first (main) artist; null for a local file.</summary>
    public string? ArtistId => Track.Artists[0].Id;

    public string ArtistName => Track.Artists[0].Name;

    public string? AlbumId => Track.Album.Id;

    public string AlbumName => Track.Album.Name;

    public int DurationMs => Track.DurationMs;

    public bool IsLocal => Track.IsLocal;

    public string? ContextUri => Context?.Uri;

    /// <summary>UTC, millisecond precision.</summary>
    public DateTimeOffset PlayedAt { get; }

    /// <summary>The exact <c>played_at</c> text Spotify sends for this play.</summary>
    public string PlayedAtText => SpotifyTimestamp.Format(PlayedAt);

    internal FakeTrack Track { get; }

    internal PlayContext? Context { get; }

    /// <summary>This play at another position in the history (after a late play was inserted before it).</summary>
    internal EmulatorPlay At(long sequence) => sequence == Sequence ? this : new(UserId, sequence, Track, Context, PlayedAt);

    public override string ToString() => $"{UserId}#{Sequence} {PlayedAtText} {TrackUri}";
}
