namespace SpotifySync.SpotifyEmulator;

internal sealed record RecentlyPlayedJson(
    IReadOnlyList<PlayHistoryJson> Items,
    string? Next,
    CursorsJson? Cursors,
    int Limit,
    string Href);
