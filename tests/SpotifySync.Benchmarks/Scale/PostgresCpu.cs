using System.Globalization;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// CPU time of every process named <c>postgres</c> on this machine (the server and its backends), from
/// <c>/proc/&lt;pid&gt;/stat</c>: what PostgreSQL cost, told apart from the rest of the machine (kernel threads,
/// anything else running). A backend that exits between two readings takes its time with it; the pools keep theirs open.
/// </summary>
internal static class PostgresCpu
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan Read()
    {
        var ticks = 0L;
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            var nameEnd = stat.LastIndexOf(')');
            if (nameEnd < 0 || !stat.AsSpan(0, nameEnd).EndsWith("(postgres", StringComparison.Ordinal))
            {
                continue;
            }
            // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
            var fields = stat[(nameEnd + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }
}
