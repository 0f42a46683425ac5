namespace SpotifySync.Grains.Budget;

/// <summary>
/// The cluster's Spotify call budget: at most <see cref="Configured"/> calls in any rolling window, and an
/// <see cref="Effective"/> limit below it that adapts to 429s (additive increase, multiplicative decrease), so
/// that a cluster told more than Spotify really allows settles just under the real limit.
/// <para>
/// Permits are paced, not handed out in bursts: <see cref="Effective"/> per window at an even rate, with at most
/// one second of calls saved up. A burst at the start of every window would meet Spotify's limit long before
/// our own count does, and its Retry-After would then stall everyone for most of a window.
/// </para>
/// </summary>
public sealed class CallBudget
{
    /// <summary>Spotify counts over 30 s; ours is a little longer because a call reaches Spotify some time after its permit.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(31);

    /// <summary>Spotify's own window, for "calls sent in the last 30 s".</summary>
    public static readonly TimeSpan SpotifyWindow = TimeSpan.FromSeconds(30);

    /// <summary>A 429 cuts the effective limit to this share of itself.</summary>
    public const double DecreaseFactor = 0.8;

    /// <summary>Without a 429, the effective limit grows by this share of the configured one per <see cref="IncreaseStep"/>.</summary>
    public const double IncreaseShare = 0.01;

    public static readonly TimeSpan IncreaseStep = TimeSpan.FromSeconds(3);

    /// <summary>429s of calls already on their way when the first came say nothing new: one decrease per this.</summary>
    public static readonly TimeSpan DecreaseCooldown = TimeSpan.FromSeconds(5);

    private readonly RollingCallWindow _window = new(Window);
    private readonly RollingCallWindow _sent = new(SpotifyWindow);
    private double _tokens;
    private DateTimeOffset _refilledAt;
    private DateTimeOffset _changedAt;
    private DateTimeOffset? _decreasedAt;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    /// <param name="configured"><c>Spotify:CallsPer30Seconds</c>; 0 means no budget (every call is granted at once).</param>
    public CallBudget(int configured, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(configured);
        Configured = configured;
        Effective = configured;
        _refilledAt = now;
        _changedAt = now;
        // Start empty: a new activation (after a failover) must not add a burst to what the old one just sent.
        _tokens = 0;
    }

    public int Configured { get; }

    public double Effective { get; private set; }

    public bool IsUnlimited => Configured == 0;

    /// <summary>Calls granted in the last 30 s (what Spotify would count).</summary>
    public int SentInLast30Seconds(DateTimeOffset now) => _sent.Count(now);

    /// <summary>Grants up to <paramref name="wanted"/> permits now. When fewer are granted, <c>RetryAt</c> says when to ask again.</summary>
    public (int Granted, DateTimeOffset RetryAt) Take(int wanted, DateTimeOffset now)
    {
        if (IsUnlimited)
        {
            _sent.Record(now, wanted);
            return (wanted, now);
        }
        if (now < _blockedUntil)
        {
            return (0, _blockedUntil);
        }
        Recover(now);
        Refill(now);
        var limit = (int)Math.Floor(Effective);
        var granted = Math.Min(wanted, Math.Min((int)Math.Floor(_tokens), limit - _window.Count(now)));
        granted = Math.Max(granted, 0);
        if (granted > 0)
        {
            _tokens -= granted;
            _window.Record(now, granted);
            _sent.Record(now, granted);
        }
        if (granted == wanted)
        {
            return (granted, now);
        }
        var tokenAt = now + TimeSpan.FromSeconds((1 - _tokens) / RatePerSecond);
        var windowAt = _window.WhenBelow(limit, now);
        return (granted, tokenAt > windowAt ? tokenAt : windowAt);
    }

    /// <summary>
    /// Spotify answered 429: no permit until <paramref name="retryAfter"/> has passed (calls of syncs already under way
    /// included, or they would meet the same 429), and, for a rate limit (not an exhausted quota), a lower effective limit.
    /// </summary>
    public void Throttled(DateTimeOffset now, TimeSpan retryAfter, bool quotaExceeded)
    {
        if (IsUnlimited)
        {
            return;
        }
        if (now + retryAfter > _blockedUntil)
        {
            _blockedUntil = now + retryAfter;
        }
        if (!quotaExceeded)
        {
            RateLimited(now);
        }
    }

    /// <summary>Spotify answered 429 for its rate limit: lower the effective limit.</summary>
    public void RateLimited(DateTimeOffset now)
    {
        if (IsUnlimited || (_decreasedAt is { } last && now - last < DecreaseCooldown))
        {
            return;
        }
        Recover(now);
        Effective = Math.Max(1, Effective * DecreaseFactor);
        _tokens = Math.Min(_tokens, Burst);
        _decreasedAt = now;
        _changedAt = now;
    }

    private double RatePerSecond => Effective / Window.TotalSeconds;

    private double Burst => Math.Max(1, RatePerSecond);

    private void Refill(DateTimeOffset now)
    {
        var elapsed = (now - _refilledAt).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(Burst, _tokens + elapsed * RatePerSecond);
            _refilledAt = now;
        }
    }

    private void Recover(DateTimeOffset now)
    {
        if (Effective >= Configured)
        {
            _changedAt = now;
            return;
        }
        var steps = Math.Floor((now - _changedAt) / IncreaseStep);
        if (steps >= 1)
        {
            Effective = Math.Min(Configured, Effective + steps * IncreaseShare * Configured);
            _changedAt += IncreaseStep * steps;
        }
    }
}
