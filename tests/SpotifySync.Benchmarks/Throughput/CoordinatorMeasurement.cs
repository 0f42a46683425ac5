namespace SpotifySync.Benchmarks.Throughput;

/// <summary>Scenario 2: ids enqueued one call each and dispatched until the queue drained.</summary>
internal sealed record CoordinatorMeasurement(int Users, TimeSpan EnqueueElapsed, TimeSpan DrainElapsed, double MeanInFlight, CpuUsage Cpu)
{
    /// <summary>Users through the coordinator per second: from the first enqueue to the drained queue.</summary>
    public double UsersPerSecond => Users / DrainElapsed.TotalSeconds;

    /// <summary>Rate of the enqueue calls alone (dispatch runs meanwhile).</summary>
    public double EnqueuedPerSecond => Users / EnqueueElapsed.TotalSeconds;

    /// <summary>Whether the queue drained right behind the last enqueue, i.e. the enqueue calls set the pace.</summary>
    public bool EnqueueBound => DrainElapsed - EnqueueElapsed < DrainElapsed * 0.15;
}
