using System.Collections.Concurrent;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Misbehaviour of the Spotify endpoints, switchable at any time while requests are in flight.</summary>
public sealed class EmulatorFaults
{
    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private readonly ConcurrentDictionary<string, bool> malformedJsonUsers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> stalledBodyUsers = new(StringComparer.Ordinal);
    private readonly RateLimitWindow rateLimit = new();
    private readonly FaultShare serverErrors = new();
    private TimeSpan latency;
    private TimeSpan latencyJitter;
    private DateTimeOffset throttledUntil = DateTimeOffset.MinValue;
    private int? retryAfterSeconds;
    private ThrottleScope throttleScope;
    private string? throttleReason;
    private string? throttledUser;
    private string? windowReason;
    private readonly FaultShare hangs = new();
    private TimeSpan hangDuration = TimeSpan.FromSeconds(60);
    private bool rejectClientCredentials;
    private bool refuseRefreshGrants;
    private double stallBodyRate;
    private ThrottleScope stallScope;
    private TimeSpan stallDuration = TimeSpan.FromSeconds(60);

    internal EmulatorFaults(TimeProvider timeProvider) => this.timeProvider = timeProvider;

    /// <summary>Share of Spotify requests (0..1) that fail with a 500 JSON error or a 502/503 HTML page (exactly: see <see cref="FaultShare"/>).</summary>
    public double ServerErrorRate
    {
        get => serverErrors.Rate;
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The server error rate is a share between 0 and 1.");
            }

            serverErrors.Rate = value;
        }
    }

    /// <summary>Extra wall-clock delay before every Spotify endpoint answers (plus up to <see cref="LatencyJitter"/>).</summary>
    public TimeSpan Latency
    {
        get { lock (gate) { return latency; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate) { latency = value; }
        }
    }

    /// <summary>Up to this much more delay on top of <see cref="Latency"/>, drawn uniformly for every request;
    /// zero (the default) makes the delay exactly <see cref="Latency"/>.</summary>
    public TimeSpan LatencyJitter
    {
        get { lock (gate) { return latencyJitter; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate) { latencyJitter = value; }
        }
    }

    /// <summary>
    /// Spotify's rate limit: the app (the emulator serves one) may make this many calls, token endpoint and Web
    /// API together, per <see cref="WindowLength"/>. A call arriving when the calls admitted in the last window
    /// length already reach the limit gets 429 with a Retry-After of the whole seconds (at least 1) until a call
    /// fits again; refused calls are not counted. Null, the default, admits everything.
    /// </summary>
    /// <remarks>Lowering the limit below the calls already counted refuses calls until enough of them have left
    /// the window. Calls refused by <see cref="ThrottleFor"/> never reach the window.</remarks>
    public int? WindowLimit
    {
        get => rateLimit.Limit;
        set => rateLimit.Limit = value;
    }

    /// <summary>The rolling window of <see cref="WindowLimit"/>, in the emulator's clock; 30 s by default.</summary>
    public TimeSpan WindowLength
    {
        get => rateLimit.Length;
        set => rateLimit.Length = value;
    }

    /// <summary>The <c>reason</c> in the body of the window's 429s, e.g. <c>QUOTA_EXCEEDED</c>; null (the default) sends none.</summary>
    public string? WindowReason
    {
        get { lock (gate) { return windowReason; } }
        set { lock (gate) { windowReason = value; } }
    }

    /// <summary>Calls admitted in the window that ends now (counted with or without a limit).</summary>
    public int WindowCount => rateLimit.CountAt(timeProvider.GetUtcNow());

    /// <summary>The most calls admitted within any one window length since the last <see cref="Reset"/>: the peak
    /// rate of a run, which never exceeds the limit while one is set.</summary>
    public int MaxWindowCount => rateLimit.MaxCount;

    /// <summary>429s sent by <see cref="WindowLimit"/> since the last <see cref="Reset"/> (not those of <see cref="ThrottleFor"/>).</summary>
    public long WindowRefusals => rateLimit.Refusals;

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

    /// <summary>The <c>reason</c> in the body of the current throttle window's 429s; null when they carry none.</summary>
    public string? ThrottleReason
    {
        get { lock (gate) { return throttleReason; } }
    }

    /// <summary>The only user whose requests the current throttle window refuses; null when it refuses everyone's.</summary>
    public string? ThrottledUser
    {
        get { lock (gate) { return throttledUser; } }
    }

    /// <summary>Share of Spotify requests (0..1) that hang for <see cref="HangDuration"/> before answering normally (exactly: see <see cref="FaultShare"/>).</summary>
    public double HangRate
    {
        get => hangs.Rate;
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The hang rate is a share between 0 and 1.");
            }

            hangs.Rate = value;
        }
    }

    /// <summary>When on, the token endpoint answers <c>invalid_client</c> whatever the credentials (the app's secret was rotated).</summary>
    public bool RejectClientCredentials
    {
        get { lock (gate) { return rejectClientCredentials; } }
        set { lock (gate) { rejectClientCredentials = value; } }
    }

    /// <summary>
    /// When on, every refresh_token grant is answered <c>invalid_grant</c> although the refresh tokens stay valid: Spotify's
    /// incident (an <c>invalid_grant</c> storm), not the users' revocations. Off again, the same tokens work.
    /// </summary>
    public bool RefuseRefreshGrants
    {
        get { lock (gate) { return refuseRefreshGrants; } }
        set { lock (gate) { refuseRefreshGrants = value; } }
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

    /// <summary>
    /// Share of Spotify requests (0..1) inside <see cref="StallScope"/> that get a 200 and the start of a body,
    /// then nothing more for <see cref="StallDuration"/>: a timeout that ends with the headers never fires.
    /// </summary>
    public double StallBodyRate
    {
        get { lock (gate) { return stallBodyRate; } }
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The stalled body rate is a share between 0 and 1.");
            }

            lock (gate) { stallBodyRate = value; }
        }
    }

    /// <summary>Which endpoints stall their body, for <see cref="StallBodyRate"/> and <see cref="SetStalledBody"/> alike.</summary>
    public ThrottleScope StallScope
    {
        get { lock (gate) { return stallScope; } }
        set { lock (gate) { stallScope = value; } }
    }

    /// <summary>How long a stalled body stalls (wall clock) before the emulator drops the connection.</summary>
    public TimeSpan StallDuration
    {
        get { lock (gate) { return stallDuration; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate) { stallDuration = value; }
        }
    }

    public IReadOnlyCollection<string> MalformedJsonUsers => [.. malformedJsonUsers.Keys];

    public IReadOnlyCollection<string> StalledBodyUsers => [.. stalledBodyUsers.Keys];

    /// <summary>Every Spotify request (token and Web API) arriving in the next <paramref name="window"/>
    /// gets 429 with <c>Retry-After: retryAfterSeconds</c>.</summary>
    /// <remarks>A null <paramref name="retryAfterSeconds"/> sends 429s without a Retry-After header;
    /// <paramref name="scope"/> limits the window to the token endpoint or to the Web API; <paramref name="reason"/>
    /// (e.g. <c>QUOTA_EXCEEDED</c>) goes in the error body, which has no <c>reason</c> when it is null; <paramref name="userId"/>
    /// limits it to one user's calls, so that a test can hand the 429 to the user it watches whatever else the cluster is syncing.</remarks>
    public void ThrottleFor(TimeSpan window, int? retryAfterSeconds, ThrottleScope scope = ThrottleScope.All, string? reason = null, string? userId = null)
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
            throttleReason = reason;
            throttledUser = userId;
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

    /// <summary>When on, every request of this user inside <see cref="StallScope"/> gets a stalled body.</summary>
    public void SetStalledBody(string userId, bool on)
    {
        if (on)
        {
            stalledBodyUsers[userId] = true;
        }
        else
        {
            stalledBodyUsers.TryRemove(userId, out _);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            serverErrors.Rate = 0;
            latency = TimeSpan.Zero;
            latencyJitter = TimeSpan.Zero;
            throttledUntil = DateTimeOffset.MinValue;
            retryAfterSeconds = 0;
            throttleScope = ThrottleScope.All;
            throttleReason = null;
            throttledUser = null;
            windowReason = null;
            hangs.Rate = 0;
            rejectClientCredentials = false;
            refuseRefreshGrants = false;
            hangDuration = TimeSpan.FromSeconds(60);
            stallBodyRate = 0;
            stallScope = ThrottleScope.All;
            stallDuration = TimeSpan.FromSeconds(60);
        }

        rateLimit.Reset();
        malformedJsonUsers.Clear();
        stalledBodyUsers.Clear();
    }

    /// <summary>The 429 a request to <paramref name="path"/> by <paramref name="userId"/> (null: not known) arriving now gets, or null when it goes ahead
    /// (and then counts against <see cref="WindowLimit"/>).</summary>
    internal TooManyRequests? RefusalOnArrival(string path, string? userId)
    {
        var now = timeProvider.GetUtcNow();
        string? reason;
        lock (gate)
        {
            if (Covers(throttleScope, path) && now < throttledUntil && (throttledUser is null || throttledUser == userId))
            {
                return new TooManyRequests(retryAfterSeconds, throttleReason);
            }

            reason = windowReason;
        }

        return rateLimit.TryAdmit(now, out var wait)
            ? null
            : new TooManyRequests(Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)), reason);
    }

    /// <summary>How long the next request waits before it is answered: <see cref="Latency"/> plus its jitter.</summary>
    internal TimeSpan NextLatency()
    {
        TimeSpan fixedPart, jitter;
        lock (gate)
        {
            fixedPart = latency;
            jitter = latencyJitter;
        }

        return jitter > TimeSpan.Zero ? fixedPart + (jitter * Random.Shared.NextDouble()) : fixedPart;
    }

    internal bool ShouldHang() => hangs.Next();

    internal bool ShouldFailWithServerError() => serverErrors.Next();

    /// <summary>How long the body of a request to <paramref name="path"/> by <paramref name="userId"/> stalls; null when it does not.</summary>
    internal TimeSpan? StallFor(string path, string? userId)
    {
        double rate;
        TimeSpan duration;
        lock (gate)
        {
            if (!Covers(stallScope, path))
            {
                return null;
            }

            rate = stallBodyRate;
            duration = stallDuration;
        }

        var stalls = (userId is not null && stalledBodyUsers.ContainsKey(userId)) || (rate > 0 && Random.Shared.NextDouble() < rate);
        return stalls ? duration : null;
    }

    private static bool Covers(ThrottleScope scope, string path) => scope switch
    {
        ThrottleScope.TokenEndpoint => path == SpotifyRoutes.Token,
        ThrottleScope.WebApi => path != SpotifyRoutes.Token,
        _ => true,
    };
}
