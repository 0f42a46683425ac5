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
    private int? retryAfterSeconds;
    private ThrottleScope throttleScope;
    private double hangRate;
    private TimeSpan hangDuration = TimeSpan.FromSeconds(60);
    private bool rejectClientCredentials;

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

    /// <summary>Retry-After of the current throttle window; null when the 429s carry no Retry-After header.</summary>
    public int? RetryAfterSeconds
    {
        get { lock (gate) { return retryAfterSeconds; } }
    }

    /// <summary>Share of Spotify requests (0..1) that hang for <see cref="HangDuration"/> before answering normally.</summary>
    public double HangRate
    {
        get { lock (gate) { return hangRate; } }
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The hang rate is a share between 0 and 1.");
            }

            lock (gate) { hangRate = value; }
        }
    }

    /// <summary>When on, the token endpoint answers <c>invalid_client</c> whatever the credentials (the app's secret was rotated).</summary>
    public bool RejectClientCredentials
    {
        get { lock (gate) { return rejectClientCredentials; } }
        set { lock (gate) { rejectClientCredentials = value; } }
    }

    /// <summary>How long a hanging request hangs (wall clock; the client usually gives up first).</summary>
    public TimeSpan HangDuration
    {
        get { lock (gate) { return hangDuration; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate) { hangDuration = value; }
        }
    }

    public IReadOnlyCollection<string> MalformedJsonUsers => [.. malformedJsonUsers.Keys];

    /// <summary>Every Spotify request (token and Web API) arriving in the next <paramref name="window"/>
    /// gets 429 with <c>Retry-After: retryAfterSeconds</c>.</summary>
    /// <remarks>A null <paramref name="retryAfterSeconds"/> sends 429s without a Retry-After header;
    /// <paramref name="scope"/> limits the window to the token endpoint or to the Web API.</remarks>
    public void ThrottleFor(TimeSpan window, int? retryAfterSeconds, ThrottleScope scope = ThrottleScope.All)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        if (retryAfterSeconds is { } seconds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        }
        lock (gate)
        {
            throttledUntil = timeProvider.GetUtcNow() + window;
            this.retryAfterSeconds = retryAfterSeconds;
            throttleScope = scope;
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
            throttleScope = ThrottleScope.All;
            hangRate = 0;
            rejectClientCredentials = false;
            hangDuration = TimeSpan.FromSeconds(60);
        }

        malformedJsonUsers.Clear();
    }

    /// <summary>Whether a request to <paramref name="path"/> arriving now is throttled, and the Retry-After to send (null: no header).</summary>
    internal (bool Throttled, int? RetryAfterSeconds) ActiveThrottle(string path)
    {
        lock (gate)
        {
            var inScope = throttleScope switch
            {
                ThrottleScope.TokenEndpoint => path == SpotifyRoutes.Token,
                ThrottleScope.WebApi => path != SpotifyRoutes.Token,
                _ => true,
            };
            return (inScope && timeProvider.GetUtcNow() < throttledUntil, retryAfterSeconds);
        }
    }

    internal bool ShouldHang() => HangRate is var rate and > 0 && Random.Shared.NextDouble() < rate;
}
