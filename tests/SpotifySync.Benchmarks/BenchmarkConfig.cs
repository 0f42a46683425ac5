using BenchmarkDotNet.Configs;

namespace SpotifySync.Benchmarks;

/// <summary>The default configuration, with reports kept inside this project's folder instead of the caller's.</summary>
internal static class BenchmarkConfig
{
    private const string ProjectFile = "SpotifySync.Benchmarks.csproj";

    public static IConfig Create() =>
        DefaultConfig.Instance.WithArtifactsPath(Path.Combine(ProjectDirectory(), "BenchmarkDotNet.Artifacts"));

    // BenchmarkDotNet writes to the working directory by default, i.e. the repository root when run as
    // documented; the project folder (found upwards from bin/) keeps the output next to the benchmarks.
    private static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ProjectFile)))
            {
                return directory.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}
