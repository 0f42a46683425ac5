using System.Diagnostics;
using System.Globalization;
using SpotifySync.Benchmarks.Throughput;
using SpotifySync.Testing;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// Where the machine's CPU went during one load window: the silos, the API, this process (the load generator and the
/// emulator), PostgreSQL, and the rest of the machine, itself split into interrupts (network packets among them), the
/// busiest other processes (kernel threads, anything else running) and what no living process accounts for (processes
/// that exited meanwhile). Divided by the requests, it says what one request costs each part.
/// </summary>
internal sealed record ProcessCpuSplit(
    TimeSpan Elapsed, TimeSpan Silos, TimeSpan Api, TimeSpan LoadAndEmulator, TimeSpan Postgres, TimeSpan? Machine,
    TimeSpan Interrupts, IReadOnlyList<(string Name, TimeSpan Cpu)> Others)
{
    private const string PostgresName = "postgres";

    public TimeSpan? Rest => Machine is { } machine ? machine - Silos - Api - LoadAndEmulator - Postgres : null;

    public static Func<ProcessCpuSplit> Start(SiloCluster silos, ServiceProcess api)
    {
        var clock = Stopwatch.StartNew();
        var ours = silos.Silos.Select(s => s.ProcessId).Append(api.ProcessId).Append(Environment.ProcessId).ToHashSet();
        var (silo0, api0, self0, table0, machine0) = (silos.ProcessorTime, api.ProcessorTime, SelfTime(), ProcessCpuTable.Read(), MachineCpuCounters.Read());
        return () =>
        {
            var elapsed = clock.Elapsed;
            var (table, machine) = (ProcessCpuTable.Read(), MachineCpuCounters.Read());
            var share = machine.BusyShareSince(machine0);
            return new ProcessCpuSplit(elapsed, silos.ProcessorTime - silo0, api.ProcessorTime - api0, SelfTime() - self0,
                table.Since(table0, PostgresName), share is { } s ? elapsed * s * Environment.ProcessorCount : null,
                machine.InterruptsSince(machine0),
                table.Busiest(table0, (pid, name) => !ours.Contains(pid) && name != PostgresName, count: 3));
        };
    }

    /// <summary>Milliseconds of CPU per request: silos / API / load generator and emulator / PostgreSQL / rest, and the machine's total.</summary>
    public string PerRequest(int requests)
    {
        var rest = Rest is { } r ? Ms(r, requests) : "?";
        var total = Machine is { } m ? Ms(m, requests) : "?";
        return $"{Ms(Silos, requests)} / {Ms(Api, requests)} / {Ms(LoadAndEmulator, requests)} / {Ms(Postgres, requests)} / {rest} ms (machine {total} ms)";
    }

    /// <summary>The rest of the machine per request: interrupts, the busiest other processes, and what is left unaccounted.</summary>
    public string RestPerRequest(int requests)
    {
        var others = Others.Count == 0 ? "none" : string.Join(", ", Others.Select(o => $"{o.Name} {Ms(o.Cpu, requests)}"));
        var unaccounted = Rest is { } rest ? Ms(rest - Interrupts - Others.Aggregate(TimeSpan.Zero, (sum, o) => sum + o.Cpu), requests) : "?";
        return $"interrupts {Ms(Interrupts, requests)} ms; busiest other processes: {others} ms; unaccounted (exited processes, rounding) {unaccounted} ms";
    }

    private static string Ms(TimeSpan cpu, int n) => (cpu.TotalMilliseconds / n).ToString("N2", CultureInfo.InvariantCulture);

    private static TimeSpan SelfTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
