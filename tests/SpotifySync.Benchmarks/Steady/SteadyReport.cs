using System.Globalization;
using System.Text;

namespace SpotifySync.Benchmarks.Steady;

/// <summary>The steady-state run as a markdown section of <c>docs/benchmarks.md</c>.</summary>
internal sealed class SteadyReport(SteadyRun run)
{
    public string ToMarkdown()
    {
        var s = run.Settings;
        var dueTimes = run.Users.Sum(u => u.DueTimes);
        var missed = run.Users.Sum(u => u.Missed);
        var extra = run.Users.Sum(u => u.Extra);
        var lateness = run.Users.SelectMany(u => u.Lateness).Order().ToArray();
        var lateLimit = s.Interval * s.LateShare;
        var late = lateness.Count(l => l > lateLimit);
        var watched = run.ObservedUntil - run.From;
        var first = run.Memory[0].Memory;
        var lastMemory = run.Memory[^1].Memory;
        var text = new StringBuilder();
        Line(text, $"## Steady state from reminders alone: {s.Users:N0} users, `Sync:Interval={s.Interval:c}`{(s.Quick ? " (quick run)" : "")}");
        Line(text, "");
        Line(text, $"Machine: {run.Machine}. Two silo processes, PostgreSQL and the emulator on this machine; no call budget, no sync-all: "
            + $"after the first syncs, only the users' persistent reminders queue syncs, {s.SyncsPerSecond:N1} a second on average. Each user's "
            + "recently-played reads (as Spotify saw them) are set against its reminder's due times, `schedule_anchor + k × interval`. "
            + $"Missed-sync check every {s.MissedSyncCheck.TotalSeconds:N0} s with a grace of {s.MissedSyncCheck.TotalSeconds:N0} s. "
            + $"Command: `dotnet run -c Release --project tests/SpotifySync.Benchmarks -- steady{(s.Quick ? " --quick" : "")} --users {s.Users} --interval {s.Interval:c}`.");
        Line(text, "");
        Line(text, "| what | target | measured | |");
        Line(text, "| --- | --- | --- | --- |");
        Row(text, $"due times over {s.Intervals} intervals served by a sync before the next one", "all",
            $"{dueTimes - missed:N0} of {dueTimes:N0} ({missed:N0} missed)", missed == 0);
        Row(text, "extra syncs (a second one within an interval)", "0", $"{extra:N0}", extra == 0);
        Row(text, $"syncs later than {s.LateShare:P0} of the interval ({lateLimit.TotalSeconds:N0} s) after their due time", "none",
            $"{late:N0} ({(lateness.Length == 0 ? 0 : (double)late / lateness.Length):P2}); lateness p50 {Seconds(At(lateness, 0.5))}, p99 {Seconds(At(lateness, 0.99))}, max {Seconds(lateness.LastOrDefault())}", late == 0);
        Row(text, "duplicate plays in `listening_data`", "0", $"{run.DuplicateGroups:N0}", run.DuplicateGroups == 0);
        Row(text, "silo managed heap, first → last reading (after a full GC)", "flat",
            $"{Mb(first.HeapBytes)} → {Mb(lastMemory.HeapBytes)} ({run.Memory.Count} readings, {string.Join(" / ", run.Memory.Select(m => Mb(m.Memory.HeapBytes)))})",
            lastMemory.HeapBytes <= first.HeapBytes * 1.10);
        Line(text, "");
        Line(text, $"Syncs seen in the {watched.TotalMinutes:N1} minutes watched: {run.Syncs:N0} ({run.Syncs / watched.TotalSeconds:N1}/s); user grains in memory at the readings: "
            + string.Join(" / ", run.Memory.Select(m => m.Memory.UserActivations.ToString("N0", CultureInfo.InvariantCulture)))
            + $"; resident memory {Mb(first.ResidentBytes)} → {Mb(lastMemory.ResidentBytes)}. "
            + $"Scheduled syncs queued by the coordinator's missed-sync check (`spotifysync.schedule.missed_syncs`: a tick Orleans skipped, a reminder lost): {run.MissedSyncsQueued:N0}.");
        Examples(text, "Missed due times, when they fell (UTC; the user, its nearest syncs before and after, as Spotify saw them)",
            run.UserIds.Zip(run.Users).SelectMany(user => user.Second.MissedDueTimes.Select(m => (m.Due,
                Text: $"{m.Due:HH:mm:ss.fff} {user.First} (before {Time(m.SyncBefore)}, after {Time(m.SyncAfter)})"))));
        Examples(text, "Due times served late or twice (UTC; the user, then its syncs before the next due time, as Spotify saw them)",
            run.UserIds.Zip(run.Users).SelectMany(user => user.Second.IrregularDueTimes.Select(d => (d.Due,
                Text: $"{d.Due:HH:mm:ss.fff} {user.First} ({string.Join(", ", d.Syncs.Select(Time))})"))));
        return text.ToString();
    }

    /// <summary>The first ten, in the order they fell, and how many more: enough to look a few up in the silos' logs.</summary>
    private static void Examples(StringBuilder text, string heading, IEnumerable<(DateTimeOffset Due, string Text)> examples)
    {
        var sorted = examples.OrderBy(e => e.Due).ToArray();
        if (sorted.Length == 0)
        {
            return;
        }
        Line(text, "");
        Line(text, $"{heading}: {string.Join("; ", sorted.Take(10).Select(e => e.Text))}"
            + (sorted.Length > 10 ? $"; and {sorted.Length - 10:N0} more, the last at {sorted[^1].Due:HH:mm:ss}" : "") + ".");
    }

    private static TimeSpan At(TimeSpan[] sorted, double quantile) =>
        sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static void Row(StringBuilder text, string what, string target, string measured, bool met) =>
        Line(text, $"| {what} | {target} | {measured} | {(met ? "met" : "**missed**")} |");

    private static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Time(DateTimeOffset t) => t == default ? "none" : t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture) + " s";

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";
}
