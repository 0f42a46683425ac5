namespace SpotifySync.Benchmarks.Scale;

/// <summary>An open-loop round: the answers (latency from each request's scheduled time) and how late the sends left.</summary>
internal sealed record OpenLoopResult(LatencySummary Answers, LatencySummary SendLateness);
