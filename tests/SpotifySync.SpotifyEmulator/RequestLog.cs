namespace SpotifySync.SpotifyEmulator;

/// <summary>Requests are added when they finish (their status is known then) but read in arrival order.</summary>
internal sealed class RequestLog
{
    private readonly Lock gate = new();
    private readonly List<EmulatorRequest> requests = [];

    public void Add(EmulatorRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
        }
    }

    public IReadOnlyList<EmulatorRequest> Snapshot()
    {
        EmulatorRequest[] copy;
        lock (gate)
        {
            copy = [.. requests];
        }

        return [.. copy.OrderBy(request => request.ReceivedAt)];
    }

    public void Clear()
    {
        lock (gate)
        {
            requests.Clear();
        }
    }
}
