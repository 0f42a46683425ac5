using System.Globalization;
using System.Text;
using static SpotifySync.Benchmarks.Throughput.ThroughputTargets;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// The run as one Markdown section: the machine, one table, and a bottleneck line for each missed target. Numbers are
/// formatted in the invariant culture (the solution builds with InvariantGlobalization).
/// </summary>
internal sealed class ThroughputReport(ThroughputRun run)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public string ToMarkdown()
    {
        var s = run.Settings;
        var text = new StringBuilder();
        Line(text, "## Throughput (issue 13)");
        Line(text, "");
        Line(text, $"One run of `dotnet run -c Release --project tests/SpotifySync.Benchmarks -- throughput{(s.Quick ? " --quick" : "")}" +
            $"{(s.Users != (s.Quick ? 1_000 : 10_000) ? $" --users {s.Users}" : "")}` on {run.Machine}.");
        Line(text, "");
        Line(text, "Everything ran on this one machine and shared its cores: 2 silo processes, PostgreSQL (private server, `fsync=off`), " +
            "the Spotify emulator and the Orleans client (both in the benchmark process). The figures of one run on a machine that may " +
            "have been busy with other work are noisy; read them as an order of magnitude, not to the percent.");
        Line(text, "");
        Line(text, "| # | what | measured | target |");
        Line(text, "| --- | --- | ---: | --- |");
        EndToEndRows(text);
        CoordinatorRows(text);
        BudgetRows(text);
        PeerRows(text);
        Line(text, "");
        var bottlenecks = Bottlenecks().ToList();
        if (bottlenecks.Count > 0)
        {
            Line(text, "What limited throughput:");
            Line(text, "");
            foreach (var bottleneck in bottlenecks)
            {
                Line(text, $"- {bottleneck}");
            }
        }
        return text.ToString();
    }

    private void EndToEndRows(StringBuilder text)
    {
        var c = run.ConnectRound;
        var e = run.SyncAll;
        Row(text, "1", $"first syncs of the connect round: {c.Users:N0} users connected {run.Settings.ConnectConcurrency} at a time, each sync a token refresh + recently-played + 50 new plays",
            $"{c.UsersPerSecond:N0} users/s, {c.PlaysPerSecond:N0} plays/s; {c.SiloCpuMsPerUser:0.00} ms silo CPU/user", "—");
        var w = run.WarmUpRounds;
        Row(text, "1", $"warm-up: {w.Count} sync-alls over {w.Sum(r => r.Elapsed.TotalSeconds):0} s on fresh silos (JIT compiling tier by tier; not measured)",
            $"first {w[0].UsersPerSecond:N0} users/s, {w[0].SiloCpuMsPerUser:0.00} ms silo CPU/user; last {w[^1].UsersPerSecond:N0} users/s, {w[^1].SiloCpuMsPerUser:0.00} ms", "—");
        var m = run.MeasuredRounds;
        Row(text, "1", $"end to end: the median of {m.Count} sync-alls of {e.Users:N0} users after the warm-up (no call budget, spacing 0, {e.Succeeded:N0} succeeded)",
            $"{e.UsersPerSecond:N0} users/s ({e.Elapsed.TotalSeconds:0.00} s; the {m.Count} rounds: {m.Min(r => r.UsersPerSecond):N0}–{m.Max(r => r.UsersPerSecond):N0})",
            Target($"≥ {EndToEndUsersPerSecond:N0} users/s", e.UsersPerSecond >= EndToEndUsersPerSecond));
        Row(text, "1", "… plays inserted (listeners add one every 10 s; a re-sync stores only those)",
            $"{e.PlaysInserted:N0} rows, {e.PlaysPerSecond:N0} rows/s", "—");
        Row(text, "1", "… silo CPU per user sync (utime + stime of both silo processes / users)",
            $"{e.SiloCpuMsPerUser:0.00} ms (the {m.Count} rounds: {m.Min(r => r.SiloCpuMsPerUser):0.00}–{m.Max(r => r.SiloCpuMsPerUser):0.00})",
            Target($"≤ {SiloCpuMsPerUserSync:0.0} ms", e.SiloCpuMsPerUser <= SiloCpuMsPerUserSync));
        Row(text, "1", "… of it, per user sync: JIT compilation / GC pauses (wall time); and allocated (the silos' System.Runtime meter)",
            $"{e.JitMsPerUser:0.000} ms / {e.GcPauseMsPerUser:0.000} ms; {e.AllocatedKbPerUser:N0} KB", "—");
        var idleMsPerSecond = run.IdleSilos.Silos.TotalMilliseconds / run.IdleSilos.Elapsed.TotalSeconds;
        Row(text, "1", "… silos idle right after (empty queue: the coordinator's 10 ms dispatch timer, Orleans' timers, GC)",
            $"{idleMsPerSecond:N0} ms CPU/s (over the sync-all's {e.Elapsed.TotalSeconds:0.0} s: {IdleMsPerUser(e):0.00} ms per user)", "—");
        Row(text, "1", "… sync duration p50 / p99 (claimed start → commit, from spotify_users)",
            $"{Ms(e.P50)} / {Ms(e.P99)}", "—");
        Row(text, "1", "… cores busy during the sync-all: silos / benchmark process (emulator + client) / rest (PostgreSQL, anything else)",
            CoresBusy(e.Cpu), "—");
    }

    private void CoordinatorRows(StringBuilder text)
    {
        var f = run.CoordinatorFirstPass;
        Row(text, "2", $"coordinator, first pass: {f.Users:N0} never-connected ids, one `EnqueueAsync` each (its sync_queue write batched behind), " +
            "dispatched until drained; each also activates the user's grain, which looks up spotify_users (no row: \"skipped\", no Spotify call)",
            $"{f.UsersPerSecond:N0} users/s ({f.DrainElapsed.TotalSeconds:0.00} s; the enqueue calls alone: {f.EnqueuedPerSecond:N0}/s); {f.Cpu.Silos.TotalMilliseconds / f.Users:0.00} ms silo CPU/user", "—");
        var k = run.Coordinator;
        Row(text, "2", "coordinator alone: the same ids again, their grains active: per user an `EnqueueAsync`, a one-way dispatch, a claim and a report " +
            "(a sync that does nothing)",
            $"{k.UsersPerSecond:N0} users/s ({k.DrainElapsed.TotalSeconds:0.00} s; the enqueue calls alone: {k.EnqueuedPerSecond:N0}/s)",
            Target($"≥ {CoordinatorUsersPerSecond:N0} users/s", k.UsersPerSecond >= CoordinatorUsersPerSecond));
        Row(text, "2", "… silo CPU per user / cores busy (silos / benchmark process / rest)",
            $"{k.Cpu.Silos.TotalMilliseconds / k.Users:0.00} ms; {CoresBusy(k.Cpu)}", "—");
    }

    private void BudgetRows(StringBuilder text)
    {
        var b = run.Budget;
        Row(text, "3", $"call budget B = {b.Budget:N0} calls / 30 s against Spotify's window of the same size, latency 150–200 ms, " +
            $"demand above B ({run.Settings.Users:N0} users, sync-all every 3 s); share of B used in the last 30 s",
            $"{b.ShareUsed:P1} ({b.CallsInLastWindow:N0} of {b.Budget:N0}; peak window {b.MaxCallsInAnyWindow:N0}; permits granted {b.PermitsInLastWindow:N0})",
            Target($"≥ {BudgetShareUsed:P0}", b.ShareUsed >= BudgetShareUsed));
        Row(text, "3", "… 429s (window refusals / 429 answers in the request log)",
            $"{b.WindowRefusals:N0} / {b.Answers429:N0}", Target("0", b.WindowRefusals == 0 && b.Answers429 == 0));
        Row(text, "3", $"… syncs in the measured {b.Measured.TotalSeconds:0} s (recently-played calls; token calls)",
            $"{b.SyncsPerSecond:0.0} syncs/s ({b.WebApiCallsMeasured:N0}; {b.TokenCallsMeasured:N0}); effective budget {b.EffectiveBudget:0}", "—");
    }

    private void PeerRows(StringBuilder text)
    {
        var spotifySync = run.SyncAll.UsersPerSecond;
        foreach (var peer in new[] { run.PeerWithSleep, run.PeerWithoutSleep })
        {
            var what = peer.Pause > TimeSpan.Zero
                ? $"peer: the original loop (token refresh, recently-played, 50 single-row INSERT … ON CONFLICT DO NOTHING, sleep {peer.Pause.TotalSeconds:0} s), {peer.Users:N0} users"
                : $"peer: the same loop without the sleep, {peer.Users:N0} users";
            Row(text, "4", what,
                $"{peer.UsersPerSecond:N2} users/s; SpotifySync's {spotifySync:N0} users/s is ×{spotifySync / peer.UsersPerSecond:N1}", "—");
        }
    }

    private IEnumerable<string> Bottlenecks()
    {
        var e = run.SyncAll;
        var cores = Environment.ProcessorCount;
        if (e.UsersPerSecond < EndToEndUsersPerSecond || e.SiloCpuMsPerUser > SiloCpuMsPerUserSync)
        {
            yield return EndToEndBottleneck(e, cores);
        }
        var k = run.Coordinator;
        if (k.UsersPerSecond < CoordinatorUsersPerSecond)
        {
            yield return MachineSaturated(k.Cpu) is { } busy
                ? $"Coordinator alone: the machine's CPU is saturated ({busy:0.00} of {cores} cores busy: {CoresBusy(k.Cpu)}), " +
                  $"{k.Cpu.Silos.TotalMilliseconds / k.Users:0.00} ms silo CPU per user; {k.MeanInFlight:0} of {MaxConcurrentSyncs} in flight on average. " +
                  $"Per user: an EnqueueAsync turn (its sync_queue write batched behind), a one-way call, a claim and a report " +
                  "(three coordinator turns, and the client's enqueue call)."
                : k.EnqueueBound
                ? $"Coordinator alone: the queue drained right behind the last enqueue, so the {k.Users:N0} `EnqueueAsync` calls set the pace " +
                  $"({k.EnqueuedPerSecond:N0}/s): each is a turn of the single, non-reentrant coordinator activation " +
                  $"(its sync_queue write batched behind, off the turn); cores busy: {CoresBusy(k.Cpu)}."
                : $"Coordinator alone: dispatch, not enqueue, set the pace (enqueue {k.EnqueuedPerSecond:N0}/s, drain {k.UsersPerSecond:N0}/s) " +
                  $"with {k.MeanInFlight:0} of {MaxConcurrentSyncs} in flight on average: every user is a one-way call, a claim and " +
                  $"a report, each a coordinator turn; cores busy: {CoresBusy(k.Cpu)}.";
        }
        var b = run.Budget;
        if (b.ShareUsed < BudgetShareUsed || b.WindowRefusals > 0 || b.Answers429 > 0)
        {
            yield return b.Answers429 > 0
                ? $"Budget: {b.Answers429:N0} 429s paused all dispatch for their Retry-After and lowered the effective budget (now {b.EffectiveBudget:0})."
                : b.PermitsInLastWindow < BudgetShareUsed * b.Budget
                    ? $"Budget: no 429, but the budget itself granted only {b.PermitsInLastWindow:N0} permits in the last 30 s: it paces B over 31 s " +
                      $"(at most 30/31 ≈ 96.8% of B in any 30 s), so the time a waiting call takes to ask again, on a busy machine, is lost to pacing " +
                      $"(demand was above B: {run.Settings.Users:N0} users queued)."
                    : $"Budget: the budget granted {b.PermitsInLastWindow:N0} permits in the last 30 s but only {b.CallsInLastWindow:N0} calls reached " +
                      "Spotify in it: permits taken by calls that had not arrived yet when the window closed.";
        }
    }

    /// <summary>The silos' idle CPU rate (measured after the rounds) spread over the users of a round of that length.</summary>
    private double IdleMsPerUser(RoundMeasurement e) =>
        run.IdleSilos.Silos.TotalMilliseconds / run.IdleSilos.Elapsed.TotalSeconds * e.Elapsed.TotalSeconds / e.Users;

    private string EndToEndBottleneck(RoundMeasurement e, int cores)
    {
        var perSync = e.SiloCpuMsPerUser > SiloCpuMsPerUserSync
            ? $" Silo CPU per sync is {e.SiloCpuMsPerUser:0.00} ms against the {SiloCpuMsPerUserSync:0.0} ms target: of it, {e.JitMsPerUser:0.00} ms " +
              "is JIT compilation still moving hot methods to tier 1 after the warm-up (a long-running silo no longer pays it). A perf profile " +
              "of the silos in this steady state (docs/benchmarks.md, \"Where a sync's CPU goes\") puts about a quarter of the rest in the " +
              "kernel (socket sends and thread wake-ups between the silos, PostgreSQL and the emulator on two shared virtual cores), then " +
              "System.Text.Json reading the 50-play page, Npgsql writing the 50-row array parameters, and Orleans' messaging."
            : "";
        var background = IdleMsPerUser(e) >= 0.5 * e.SiloCpuMsPerUser
            ? $" The silos used {IdleMsPerUser(e):0.00} ms per user's worth of CPU even idle right after the round (timers, GC after the " +
              "load), so much of the per-sync CPU figure is not per-sync work."
            : "";
        var siloCap = cores * 1000 / e.SiloCpuMsPerUser;
        var littleCap = MaxConcurrentSyncs / Math.Max(e.P50.TotalSeconds, 0.0001);
        if (MachineSaturated(e.Cpu) is { } busy)
        {
            return $"End to end: the machine's CPU is saturated ({busy:0.00} of {cores} cores busy: {CoresBusy(e.Cpu)}). " +
                   $"{e.SiloCpuMsPerUser:0.00} ms silo CPU per sync × {e.UsersPerSecond:N0} users/s = {e.SiloCpuMsPerUser * e.UsersPerSecond:N0} ms/s " +
                   $"of the {cores * 1000:N0} ms/s the cores have; even with the whole machine the silos would top out near {siloCap:N0} users/s." + perSync + background;
        }
        if (e.MeanInFlight >= 0.8 * MaxConcurrentSyncs)
        {
            return $"End to end: Sync:MaxConcurrentSyncs ({MaxConcurrentSyncs}) was full ({e.MeanInFlight:0} in flight on average) and a sync takes " +
                   $"{Ms(e.P50)} (p50), so at most ≈ {littleCap:N0} users/s (Little's law); CPU was not saturated ({CoresBusy(e.Cpu)})." + perSync + background;
        }
        return $"End to end: neither the CPU ({CoresBusy(e.Cpu)}) nor Sync:MaxConcurrentSyncs ({e.MeanInFlight:0} of {MaxConcurrentSyncs} in flight " +
               "on average) was full: the coordinator's dispatch turns (claim and report per user, a 10 ms timer) set the pace." + perSync + background;
    }

    /// <summary>Cores busy machine-wide when that is 85% of them or more, else null.</summary>
    private static double? MachineSaturated(CpuUsage cpu) =>
        cpu.Machine is { } machine && CpuUsage.Cores(machine, cpu.Elapsed) is var busy && busy >= 0.85 * Environment.ProcessorCount ? busy : null;

    private static string CoresBusy(CpuUsage cpu)
    {
        var silos = CpuUsage.Cores(cpu.Silos, cpu.Elapsed);
        var benchmark = CpuUsage.Cores(cpu.BenchmarkProcess, cpu.Elapsed);
        return cpu.Rest is { } rest
            ? string.Create(Invariant, $"{silos:0.00} / {benchmark:0.00} / {Math.Max(0, CpuUsage.Cores(rest, cpu.Elapsed)):0.00} of {Environment.ProcessorCount}")
            : string.Create(Invariant, $"{silos:0.00} / {benchmark:0.00} / n/a of {Environment.ProcessorCount}");
    }

    private static string Target(string target, bool met) => $"{target} {(met ? "(met)" : "(**missed**)")}";

    private static string Ms(TimeSpan duration) => string.Create(Invariant, $"{duration.TotalMilliseconds:N0} ms");

    private static void Row(StringBuilder text, string scenario, string what, string measured, string target) =>
        Line(text, $"| {scenario} | {what} | {measured} | {target} |");

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
