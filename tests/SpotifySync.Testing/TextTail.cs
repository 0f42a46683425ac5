namespace SpotifySync.Testing;

/// <summary>
/// Last lines of a log or of captured output. Failure messages carry only the end, because
/// that is where PostgreSQL says why it stopped, and whole logs drown the test report.
/// </summary>
internal static class TextTail
{
    public const int DefaultLines = 30;

    public static string Of(string text, int lines = DefaultLines)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public static string OfFile(string path, int lines = DefaultLines)
    {
        try
        {
            return File.Exists(path) ? Of(File.ReadAllText(path), lines) : $"(no file {path})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A diagnostic must never replace the original failure with its own.
            return $"(could not read {path}: {ex.Message})";
        }
    }
}
