namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// Decides which requests get a fault so that its share is exact over any run of requests rather than left to chance:
/// at 10%, every tenth request from a random starting point. A test that sends 16 requests at 10% always sees at
/// least one fault, and never five. Thread-safe.
/// </summary>
internal sealed class FaultShare
{
    private readonly Lock gate = new();
    private double rate;
    private double credit;

    public double Rate
    {
        get { lock (gate) { return rate; } }
        set
        {
            lock (gate)
            {
                rate = value;
                credit = Random.Shared.NextDouble();
            }
        }
    }

    /// <summary>Whether this request gets the fault.</summary>
    public bool Next()
    {
        lock (gate)
        {
            if (rate <= 0)
            {
                return false;
            }
            credit += rate;
            if (credit < 1)
            {
                return false;
            }
            credit -= 1;
            return true;
        }
    }
}
