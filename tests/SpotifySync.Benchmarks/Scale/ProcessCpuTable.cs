using System.Globalization;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// Every process's CPU time (utime + stime) on this machine at one moment, from <c>/proc/&lt;pid&gt;/stat</c>. Two
/// readings tell what each process (PostgreSQL's server and backends, kernel threads, anything else running) cost in
/// between; a process started meanwhile counts whole, one that exited took its time with it. Empty without <c>/proc</c>.
/// </summary>
internal sealed class ProcessCpuTable
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    private readonly Dictionary<int, (string Name, long Ticks)> _processes;

    private ProcessCpuTable(Dictionary<int, (string Name, long Ticks)> processes) => _processes = processes;

    public static ProcessCpuTable Read()
    {
        var processes = new Dictionary<int, (string Name, long Ticks)>();
        if (!Directory.Exists("/proc"))
        {
            return new ProcessCpuTable(processes);
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }
            var nameStart = stat.IndexOf('(');
            var nameEnd = stat.LastIndexOf(')');
            if (nameStart < 0 || nameEnd < nameStart)
            {
                continue;
            }
            // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
            var fields = stat[(nameEnd + 2)..].Split(' ');
            processes[pid] = (NameOf(stat[(nameStart + 1)..nameEnd]),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        return new ProcessCpuTable(processes);
    }

    /// <summary>CPU of the processes named <paramref name="name"/> between <paramref name="before"/> and this reading.</summary>
    public TimeSpan Since(ProcessCpuTable before, string name) =>
        Busiest(before, (_, n) => n == name, int.MaxValue).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Cpu);

    /// <summary>The busiest process names between the two readings among those <paramref name="counted"/> accepts (pid, name).</summary>
    public IReadOnlyList<(string Name, TimeSpan Cpu)> Busiest(ProcessCpuTable before, Func<int, string, bool> counted, int count) =>
        _processes
            .Where(p => counted(p.Key, p.Value.Name))
            .Select(p => (p.Value.Name, Ticks: p.Value.Ticks - (before._processes.TryGetValue(p.Key, out var was) && was.Name == p.Value.Name ? was.Ticks : 0)))
            .GroupBy(p => p.Name, p => p.Ticks)
            .Select(g => (Name: g.Key, Cpu: TimeSpan.FromSeconds(g.Sum() / ClockTicksPerSecond)))
            .Where(p => p.Cpu > TimeSpan.Zero)
            .OrderByDescending(p => p.Cpu)
            .Take(count)
            .ToList();

    /// <summary>Kernel threads carry their CPU and queue in the name ("kworker/u4:2"): one name per kind.</summary>
    private static string NameOf(string comm) => comm.Split('/')[0];
}
