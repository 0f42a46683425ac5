namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// <c>docs/benchmarks.md</c>: the throughput section is written between two markers, replacing the previous run's,
/// and whatever else the file holds stays as it is. A missing file is created.
/// </summary>
internal static class BenchmarksDocument
{
    private const string Begin = "<!-- throughput:begin (written by `dotnet run -c Release --project tests/SpotifySync.Benchmarks -- throughput`) -->";
    private const string End = "<!-- throughput:end -->";

    private const string NewDocument = """
        # Benchmarks

        How fast SpotifySync is, measured rather than claimed. The micro-benchmarks (one sync's commit, the coordinator's
        queue) are in the README's Performance section; this file holds the whole-system throughput run.

        """;

    public static string WriteSection(string section)
    {
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "benchmarks.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var existing = File.Exists(path) ? File.ReadAllText(path) : NewDocument;
        var block = $"{Begin}\n{section.TrimEnd()}\n{End}";
        var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var updated = begin >= 0 && end > begin
            ? existing[..begin] + block + existing[(end + End.Length)..]
            : existing.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, updated);
        return path;
    }
}
