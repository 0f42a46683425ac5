namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// An open-loop round: the answers (latency from each request's scheduled time), how late the sends left, and per
/// second of the schedule the slowest answer and the latest send (to set slow seconds beside <see cref="PauseSample"/>s).
/// </summary>
/// <param name="StartTimestamp">The schedule's start (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
internal sealed record OpenLoopResult(
    LatencySummary Answers,
    LatencySummary SendLateness,
    long StartTimestamp,
    IReadOnlyList<TimeSpan> WorstAnswerPerSecond,
    IReadOnlyList<TimeSpan> LatestSendPerSecond);
