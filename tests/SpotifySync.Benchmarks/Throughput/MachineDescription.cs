using System.Globalization;
using System.Runtime.InteropServices;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>The machine a run measured, named in the report: figures from a 2-core laptop and a server are not the same.</summary>
internal sealed record MachineDescription(
    int Cores, string CpuModel, string OperatingSystem, string DotNet, string PostgresVersion, string? LoadAverage, DateTimeOffset MeasuredAt)
{
    public static MachineDescription Current(string postgresVersion) => new(
        Environment.ProcessorCount,
        CpuModelName() ?? RuntimeInformation.ProcessArchitecture.ToString(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        postgresVersion,
        LoadAverageNow(),
        DateTimeOffset.UtcNow);

    public override string ToString()
    {
        var load = LoadAverage is null ? "" : $", load average {LoadAverage} (1/5/15 min) when the run began";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Cores} cores ({CpuModel}), {OperatingSystem}, {DotNet}, PostgreSQL {PostgresVersion}, {MeasuredAt:yyyy-MM-dd HH:mm} UTC{load}");
    }

    /// <summary>The first three fields of <c>/proc/loadavg</c>: how busy the machine already was.</summary>
    private static string? LoadAverageNow()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : null;
    }

    private static string? CpuModelName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return null;
        }
        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }
}
