using System.Diagnostics;
using SpotifySync.Benchmarks.Throughput;
using SpotifySync.Testing;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// Where the machine's CPU went during one load window: the silos, the API, this process (the load generator and the
/// emulator), PostgreSQL, and the rest of the machine (kernel threads, anything else running: on a quiet machine
/// little). Divided by the requests, it says what one request costs each part.
/// </summary>
internal sealed record ProcessCpuSplit(TimeSpan Elapsed, TimeSpan Silos, TimeSpan Api, TimeSpan LoadAndEmulator, TimeSpan Postgres, TimeSpan? Machine)
{
    public TimeSpan? Rest => Machine is { } machine ? machine - Silos - Api - LoadAndEmulator - Postgres : null;

    public static Func<ProcessCpuSplit> Start(SiloCluster silos, ServiceProcess api)
    {
        var clock = Stopwatch.StartNew();
        var (silo0, api0, self0, postgres0, machine0) = (silos.ProcessorTime, api.ProcessorTime, SelfTime(), PostgresCpu.Read(), MachineCpuCounters.Read());
        return () =>
        {
            var elapsed = clock.Elapsed;
            var share = MachineCpuCounters.Read().BusyShareSince(machine0);
            return new ProcessCpuSplit(elapsed, silos.ProcessorTime - silo0, api.ProcessorTime - api0, SelfTime() - self0, PostgresCpu.Read() - postgres0,
                share is { } s ? elapsed * s * Environment.ProcessorCount : null);
        };
    }

    /// <summary>Milliseconds of CPU per request: silos / API / load generator and emulator / PostgreSQL / rest, and the machine's total.</summary>
    public string PerRequest(int requests)
    {
        static string Ms(TimeSpan cpu, int n) => (cpu.TotalMilliseconds / n).ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
        var rest = Rest is { } r ? Ms(r, requests) : "?";
        var total = Machine is { } m ? Ms(m, requests) : "?";
        return $"{Ms(Silos, requests)} / {Ms(Api, requests)} / {Ms(LoadAndEmulator, requests)} / {Ms(Postgres, requests)} / {rest} ms (machine {total} ms)";
    }

    private static TimeSpan SelfTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
