namespace SpotifySync.Benchmarks.Throughput;

/// <summary>Scenario 4: the peer loop over a few users, with or without its sleep between users.</summary>
internal sealed record PeerMeasurement(int Users, TimeSpan Pause, TimeSpan Elapsed, long PlaysInserted)
{
    public double UsersPerSecond => Users / Elapsed.TotalSeconds;
}
