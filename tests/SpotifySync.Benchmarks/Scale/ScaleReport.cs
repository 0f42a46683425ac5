using System.Globalization;
using System.Text;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>The scale run as a markdown section of <c>docs/benchmarks.md</c>: each target of issue 14 beside its figure.</summary>
internal sealed class ScaleReport(ScaleRun run)
{
    public string ToMarkdown()
    {
        var s = run.Settings;
        var text = new StringBuilder();
        Line(text, $"## Scale: {s.Users:N0} connected users{(s.Quick ? " (quick run)" : "")}");
        Line(text, "");
        Line(text, $"Machine: {run.Machine}. Two silo processes, the API process, PostgreSQL and the emulator all on this machine, "
            + $"with the load generator. Paced: the first cluster has the call budget an hourly schedule of this many users needs "
            + $"(`Spotify:CallsPer30Seconds` = {s.PacedCallsPer30Seconds:N0}), as a deployment would, so the API is timed beside syncs at that pace; "
            + $"it is then killed (-9) and an unpaced cluster started on the same tables drains the rest as fast as the machine allows. Command: `dotnet run -c Release --project tests/SpotifySync.Benchmarks -- scale{(s.Quick ? " --quick" : "")}{(s.Users == (s.Quick ? ScaleSettings.QuickUsers : ScaleSettings.FullUsers) ? "" : $" --users {s.Users}")}`.");
        Line(text, "");
        Line(text, "| what | target | measured | |");
        Line(text, "| --- | --- | --- | --- |");
        var c = run.Connects;
        Row(text, $"connects through the API, {s.Clients} clients", "≥ 1,000/s, p99 < 100 ms",
            $"{c.PerSecond:N0}/s, p50 {Ms(c.P50)}, p99 {Ms(c.P99)}, {c.Failures} failed", c.PerSecond >= 1_000 && c.P99.TotalMilliseconds < 100);
        var closed = run.ManualClosedLoop;
        Row(text, $"\"Sync Data\" closed-loop, {s.Clients} clients, {s.ManualSyncUsers:N0} users pressing", "≥ 5,000/s",
            $"{closed.PerSecond:N0}/s, p50 {Ms(closed.P50)}, p99 {Ms(closed.P99)}, {closed.Failures} failed", closed.PerSecond >= 5_000);
        var open = run.ManualOpenLoop.Answers;
        Row(text, $"\"Sync Data\" open-loop, {s.OpenLoopRate}/s offered for {s.OpenLoopDuration.TotalSeconds:0} s", "p99 < 20 ms",
            $"p50 {Ms(open.P50)}, p99 {Ms(open.P99)}, max {Ms(open.Max)}, {open.Failures} failed", open.P99.TotalMilliseconds < 20);
        Row(text, "sync-all answer", "< 1 s, everyone queued",
            $"{Ms(run.SyncAllAnswer)}, {run.SyncAllQueued:N0} queued", run.SyncAllAnswer < TimeSpan.FromSeconds(1) && run.SyncAllQueued == s.Users);
        Row(text, "managed heap per connected idle user (both silos, reminders included)", "≤ 2 KB",
            $"{run.HeapPerIdleUser:N0} B ({run.Idle.UserActivations:N0} user grains still active)", run.HeapPerIdleUser <= 2_048);
        Row(text, "silo started (after `kill -9` of another) with every reminder in the table, ready", "≤ 30 s",
            $"{run.RestartReady.TotalSeconds:N1} s", run.RestartReady <= TimeSpan.FromSeconds(30));
        Line(text, "");
        Line(text, "| other figures | measured |");
        Line(text, "| --- | --- |");
        var w = run.WarmUp;
        Line(text, $"| warm-up before anything was timed: throwaway users connected, pressed and disconnected; the silos' JIT compilation in its last round | {w.Duration.TotalSeconds:N0} s, {w.ThrowawayUsers:N0} users; {w.LastRoundJitShare:P0} of each silo's time{(w.LastRoundJitShare > s.SettledJitShare ? $" (not settled to {s.SettledJitShare:P0} within {s.MaxWarmUp.TotalSeconds:N0} s)" : "")} |");
        Line(text, $"| CPU per connect: silos / API / load generator and emulator / PostgreSQL / rest of the machine | {run.ConnectsCpu.PerRequest(c.Requests)} |");
        Line(text, $"| … the rest of the machine, per connect | {run.ConnectsCpu.RestPerRequest(c.Requests)} |");
        Line(text, $"| \"Sync Data\" open-loop: how late the generator's sends left (counted in the latency above): p50 / p99 / max | {Ms(run.ManualOpenLoop.SendLateness.P50)} / {Ms(run.ManualOpenLoop.SendLateness.P99)} / {Ms(run.ManualOpenLoop.SendLateness.Max)} |");
        Line(text, $"| connects as the API's own `http.server.request.duration` saw them ({run.ConnectsServer.Count:N0} answers): p50 / p99 at most | {AtMost(run.ConnectsServer.QuantileAtMost(0.50))} / {AtMost(run.ConnectsServer.QuantileAtMost(0.99))} |");
        Line(text, $"| PostgreSQL transactions per connect (`pg_stat_database`, paced syncs and Orleans' own included); connections opened during the connects | {run.ConnectsTransactions.Count / (double)c.Requests:N2}; {run.ConnectsTransactions.Sessions:N0} |");
        var rt = run.ConnectsRuntime;
        Line(text, $"| silos during the connects, per connect: JIT compilation / GC pauses (wall time) / allocated; mean GC pause | {rt.JitCompilation.TotalMilliseconds / c.Requests:N3} ms / {rt.GcPauses.TotalMilliseconds / c.Requests:N3} ms / {rt.AllocatedBytes / 1024.0 / c.Requests:N0} KB; {Ms(rt.MeanGcPause)} over {rt.GcCollections:N0} collections |");
        var server = run.ManualOpenLoopServer;
        Line(text, $"| \"Sync Data\" open-loop as the API's own `http.server.request.duration` saw it ({server.Count:N0} answers): p50 / p99 at most | {AtMost(server.QuantileAtMost(0.50))} / {AtMost(server.QuantileAtMost(0.99))} |");
        var openRt = run.ManualOpenLoopRuntime;
        Line(text, $"| silos during the open-loop window, both together: GC pauses (wall time) / collections / mean pause | {openRt.GcPauses.TotalMilliseconds:N0} ms / {openRt.GcCollections:N0} / {Ms(openRt.MeanGcPause)} |");
        var pauses = run.ManualOpenLoopPauses;
        if (pauses.Count > 1)
        {
            Line(text, $"| benchmark process (emulator and load generator) during the open-loop window: GC pauses / gen2 collections; user grains in memory, first → last second | {(pauses[^1].BenchmarkGcPauses - pauses[0].BenchmarkGcPauses).TotalMilliseconds:N0} ms / {pauses[^1].BenchmarkGen2Collections - pauses[0].BenchmarkGen2Collections}; {pauses[0].UserGrainsInMemory:N0} → {pauses[^1].UserGrainsInMemory:N0} |");
            var slowest = SlowSecond.Slowest(run.ManualOpenLoop, pauses, 3).Select(slow =>
                $"+{slow.Second} s: {Ms(slow.WorstAnswer)}, sent ≤ {Ms(slow.LatestSend)} late; {Ms(slow.BenchmarkGcPauses)} / {Ms(slow.SiloGcPauses)}; {slow.UserGrainsBefore:N0} → {slow.UserGrainsAfter:N0}");
            Line(text, $"| the open-loop's slowest seconds: worst answer, latest send; GC pauses in the benchmark process / the silos until that answer came; user grains in memory | {string.Join(" · ", slowest)} |");
        }
        Line(text, $"| CPU per open-loop \"Sync Data\" (syncs at the paced budget run meanwhile): silos / API / load generator and emulator / PostgreSQL / rest of the machine | {run.ManualOpenLoopCpu.PerRequest(open.Requests)} |");
        Line(text, $"| whole cluster (2 silos) started on {s.Users:N0} reminders and the paced cluster's queue: ready | {run.ClusterStart.TotalSeconds:N1} s |");
        Line(text, $"| first syncs the paced cluster had not reached, drained unpaced | {run.LeftOverFirstSyncs:N0} in {run.LeftOverDrain.TotalSeconds:N0} s, {run.LeftOverFirstSyncs / run.LeftOverDrain.TotalSeconds:N0} users/s |");
        Line(text, $"| re-sync of everyone: sync-all to queue drained | {run.ResyncDrain.TotalSeconds:N0} s, {run.SyncAllQueued / run.ResyncDrain.TotalSeconds:N0} users/s; {run.UsersSyncedTwice:N0} users synced successfully |");
        Line(text, $"| managed heap per user grain in memory (right after the connects, {run.AfterConnects.UserActivations:N0} of {run.Settings.Users:N0} in memory; the reminders' share taken out) | {run.HeapPerActiveUser:N0} B |");
        Line(text, $"| resident memory per connected idle user (both silos, over the fresh silos) | {run.ResidentPerIdleUser:N0} B |");
        Line(text, $"| silos fresh → idle with {s.Users:N0} users: heap (of it fragmentation) / resident; idle heap after the first of the two full collections | {Mb(run.Fresh.HeapBytes)} ({Mb(run.Fresh.FragmentationBytes)}) → {Mb(run.Idle.HeapBytes)} ({Mb(run.Idle.FragmentationBytes)}) / {Mb(run.Fresh.ResidentBytes)} → {Mb(run.Idle.ResidentBytes)}; {Mb(run.Idle.HeapAfterFirstCollectionBytes)} |");
        Line(text, $"| reminder rows | {run.Storage.ReminderRows:N0} |");
        Line(text, $"| heap the reminder service keeps per reminder (the new silo, ~half the ring, no user grain run) | {run.HeapPerReminder:N0} B |");
        Line(text, $"| plays stored by the run; bytes per play, table and indexes | {run.Storage.Plays:N0}; {run.Storage.BytesPerPlay:N0} B |");
        var cost = run.CommitCost;
        Line(text, $"| one sync's commit (50 new plays + user row), empty `listening_data` | p50 {Ms(cost.Empty.P50)}, p99 {Ms(cost.Empty.P99)} |");
        Line(text, $"| the same with {cost.Footprint.Plays:N0} plays in the table | p50 {Ms(cost.Full.P50)}, p99 {Ms(cost.Full.P99)} (ratio of p50s {cost.Full.P50 / cost.Empty.P50:N2}) |");
        Line(text, $"| bytes per play at {cost.Footprint.Plays:N0} plays (realistic id and name lengths), table and indexes | {cost.Footprint.BytesPerPlay:N0} B (filled in {cost.FillTime.TotalSeconds:N0} s) |");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string what, string target, string measured, bool met) =>
        Line(text, $"| {what} | {target} | {measured} | {(met ? "met" : "**missed**")} |");

    private static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "N1" : "N0", CultureInfo.InvariantCulture) + " ms";

    private static string AtMost(TimeSpan? bound) => bound is { } b ? Ms(b) : "beyond the last bucket";

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";
}
