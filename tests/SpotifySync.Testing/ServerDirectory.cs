using System.Diagnostics;

namespace SpotifySync.Testing;

/// <summary>
/// The temp folder holding one private server: data, log and socket. It records which process
/// owns it, so a later run can recognise folders orphaned by a test host that was killed.
/// </summary>
internal static class ServerDirectory
{
    public const string Prefix = "spotifysync-pg-";
    private const string OwnerFileName = "owner.pid";

    public static string Create()
    {
        var directory = Directory.CreateTempSubdirectory(Prefix).FullName;
        File.WriteAllText(Path.Combine(directory, OwnerFileName), Environment.ProcessId.ToString());
        return directory;
    }

    public static IEnumerable<string> FindOrphaned()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            // No owner file yet means another run is creating it right now: not ours to touch.
            var ownerFile = Path.Combine(directory, OwnerFileName);
            if (File.Exists(ownerFile)
                && int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner)
                && owner != Environment.ProcessId
                && !IsAlive(owner))
            {
                yield return directory;
            }
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Cleanup is best effort; a leftover temp folder must not fail a passing test run.
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
