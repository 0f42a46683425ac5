namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// The whole machine's CPU time from the first line of <c>/proc/stat</c> (all cores, in clock ticks): busy and
/// total. Zero where there is no <c>/proc/stat</c>; the machine-wide figures are then left out.
/// </summary>
internal readonly record struct MachineCpuCounters(long Busy, long Total, long Interrupts = 0)
{
    public static MachineCpuCounters Read()
    {
        const string path = "/proc/stat";
        if (!File.Exists(path))
        {
            return default;
        }
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        var fields = File.ReadLines(path).First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return new MachineCpuCounters(total - idle, total, fields[5] + fields[6]);
    }

    /// <summary>CPU spent serving interrupts and softirqs (network packets among them) since <paramref name="before"/>, all cores.</summary>
    public TimeSpan InterruptsSince(MachineCpuCounters before) => TimeSpan.FromSeconds((Interrupts - before.Interrupts) / 100.0);

    /// <summary>Share (0..1) of all cores busy between <paramref name="before"/> and this reading; null without counters.</summary>
    public double? BusyShareSince(MachineCpuCounters before)
    {
        var total = Total - before.Total;
        return total > 0 ? (double)(Busy - before.Busy) / total : null;
    }
}
