using System.Collections.Concurrent;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Misbehaviour of the Spotify endpoints, switchable at any time while requests are in flight.</summary>
public sealed class EmulatorFaults
{
    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private readonly ConcurrentDictionary<string, bool> malformedJsonUsers = new(StringComparer.Ordinal);
    private double serverErrorRate;
    private TimeSpan latency;
    private DateTimeOffset throttledUntil = DateTimeOffset.MinValue;
    private int retryAfterSeconds;

    internal EmulatorFaults(TimeProvider timeProvider) => this.timeProvider = timeProvider;

    /// <summary>Share of Spotify requests (0..1) that fail with a 500 JSON error or a 502/503 HTML page.</summary>
    public double ServerErrorRate
    {
        get { lock (gate) { return serverErrorRate; } }
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The server error rate is a share between 0 and 1.");
            }

            lock (gate) { serverErrorRate = value; }
        }
    }

    /// <summary>Extra wall-clock delay before every Spotify endpoint answers.</summary>
    public TimeSpan Latency
    {
        get { lock (gate) { return latency; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate) { latency = value; }
        }
    }

    /// <summary>End of the current throttle window (in the emulator's clock); in the past when not throttling.</summary>
    public DateTimeOffset ThrottledUntil
    {
        get { lock (gate) { return throttledUntil; } }
    }

    public int RetryAfterSeconds
    {
        get { lock (gate) { return retryAfterSeconds; } }
    }

    public IReadOnlyCollection<string> MalformedJsonUsers => [.. malformedJsonUsers.Keys];

    /// <summary>Every Spotify request (token and Web API) arriving in the next <paramref name="window"/>
    /// gets 429 with <c>Retry-After: retryAfterSeconds</c>.</summary>
    public void ThrottleFor(TimeSpan window, int retryAfterSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(retryAfterSeconds);
        lock (gate)
        {
            throttledUntil = timeProvider.GetUtcNow() + window;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /// <summary>When on, this user's recently-played answers 200 with a body that is not valid JSON.</summary>
    public void SetMalformedJson(string userId, bool on)
    {
        if (on)
        {
            malformedJsonUsers[userId] = true;
        }
        else
        {
            malformedJsonUsers.TryRemove(userId, out _);
        }
    }

    public bool IsMalformedJson(string userId) => malformedJsonUsers.ContainsKey(userId);

    public void Reset()
    {
        lock (gate)
        {
            serverErrorRate = 0;
            latency = TimeSpan.Zero;
            throttledUntil = DateTimeOffset.MinValue;
            retryAfterSeconds = 0;
        }

        malformedJsonUsers.Clear();
    }

    /// <summary>The Retry-After to send, or null when requests arriving now are not throttled.</summary>
    internal int? ActiveThrottle()
    {
        lock (gate)
        {
            return timeProvider.GetUtcNow() < throttledUntil ? retryAfterSeconds : null;
        }
    }
}
