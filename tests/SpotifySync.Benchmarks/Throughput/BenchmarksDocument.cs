namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// <c>docs/benchmarks.md</c> (or the file a run names with <c>--output</c>): each command's section (<c>throughput</c>,
/// <c>scale</c>, <c>steady</c>) is written between two markers of its own, replacing the previous run's, and whatever
/// else the file holds stays as it is. A missing file is created.
/// </summary>
internal static class BenchmarksDocument
{
    public static string DefaultPath => Path.Combine(RepositoryRoot.Find(), "docs", "benchmarks.md");

    private const string NewDocument = """
        # Benchmarks

        How fast SpotifySync is, measured rather than claimed. The micro-benchmarks (one sync's commit, the coordinator's
        queue) are in the README's Performance section; this file holds the whole-system runs.

        """;

    /// <param name="path">The document to update.</param>
    /// <param name="command">The benchmark command that wrote the section, which names its markers.</param>
    public static void WriteSection(string path, string command, string section)
    {
        var beginMarker = $"<!-- {command}:begin (written by `dotnet run -c Release --project tests/SpotifySync.Benchmarks -- {command}`) -->";
        var endMarker = $"<!-- {command}:end -->";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var existing = File.Exists(path) ? File.ReadAllText(path) : NewDocument;
        var block = $"{beginMarker}\n{section.TrimEnd()}\n{endMarker}";
        var begin = existing.IndexOf(beginMarker, StringComparison.Ordinal);
        var end = existing.IndexOf(endMarker, StringComparison.Ordinal);
        var updated = begin >= 0 && end > begin
            ? existing[..begin] + block + existing[(end + endMarker.Length)..]
            : existing.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, updated);
    }
}
