namespace SpotifySync.Benchmarks.Throughput;

/// <summary>The repository the benchmark was built from (the folder holding SpotifySync.sln), found upwards from bin/.</summary>
internal static class RepositoryRoot
{
    private const string Solution = "SpotifySync.sln";

    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, Solution)))
                {
                    return directory.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException($"no {Solution} above {AppContext.BaseDirectory}");
    }
}
