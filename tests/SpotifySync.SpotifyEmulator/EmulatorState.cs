using System.Collections.Concurrent;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Everything the emulated Spotify knows: users, their histories and tokens, faults, and the request log.
/// Safe to use from any number of threads while the server is answering.</summary>
public sealed class EmulatorState
{
    /// <summary>Spotify keeps only this many plays per user; older ones are gone for good.</summary>
    public const int RecentPlaysKept = 50;

    private readonly ConcurrentDictionary<string, EmulatorUser> users = new(StringComparer.Ordinal);
    private readonly Lock addUserGate = new();
    private readonly TokenStore tokens;
    private readonly AuthorizationCodes authorizationCodes;
    private readonly RequestLog requestLog = new();

    public EmulatorState(EmulatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.AccessTokenLifetime, TimeSpan.Zero);
        Settings = settings;
        Faults = new EmulatorFaults(settings.TimeProvider);
        tokens = new TokenStore(settings.TimeProvider, settings.AccessTokenLifetime);
        authorizationCodes = new AuthorizationCodes(settings.TimeProvider);
    }

    public EmulatorSettings Settings { get; }

    public EmulatorFaults Faults { get; }

    public IReadOnlyList<EmulatorUser> Users => [.. users.Values.OrderBy(user => user.UserId, StringComparer.Ordinal)];

    /// <summary>Every request to a Spotify endpoint, in arrival order.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => requestLog.Snapshot();

    internal TimeProvider TimeProvider => Settings.TimeProvider;

    internal TokenStore Tokens => tokens;

    internal AuthorizationCodes AuthorizationCodes => authorizationCodes;

    public EmulatorUser AddUser(string userId, EmulatorUserSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        settings ??= new EmulatorUserSettings();

        // Serialised so that a duplicate id or refresh token never leaves half a user behind.
        lock (addUserGate)
        {
            if (users.ContainsKey(userId))
            {
                throw new InvalidOperationException($"User '{userId}' already exists.");
            }

            var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            var refreshToken = settings.InitialRefreshToken ?? TokenFactory.NewRefreshToken();
            var user = new EmulatorUser(userId, settings, createdAt, refreshToken, new PlaySchedule(userId, createdAt, settings));
            tokens.AddRefreshToken(user, refreshToken);
            users[userId] = user;
            return user;
        }
    }

    public EmulatorUser GetUser(string userId) =>
        users.TryGetValue(userId, out var user) ? user : throw new KeyNotFoundException($"No emulated user '{userId}'.");

    public bool TryGetUser(string userId, out EmulatorUser user) => users.TryGetValue(userId, out user!);

    /// <summary>Every play that has happened so far, oldest first, including those Spotify no longer returns.</summary>
    public IReadOnlyList<EmulatorPlay> PlaysOf(string userId)
    {
        var (user, late, due) = HistoryNow(userId);
        return PlayHistory.Newest(user.Schedule.Range(0, due), late, due + late.Count, int.MaxValue);
    }

    /// <summary>What Spotify still has for the user right now: at most the 50 latest plays, newest first.</summary>
    internal IReadOnlyList<EmulatorPlay> RecentPlaysOf(string userId)
    {
        var (user, late, due) = HistoryNow(userId);
        var recent = PlayHistory.Newest(user.Schedule.Range(due - RecentPlaysKept, due), late, due + late.Count, RecentPlaysKept);
        return [.. recent.Reverse()];
    }

    /// <summary>
    /// A play Spotify reports late: it becomes visible now although newer plays were already returned (e.g. a
    /// track finished offline and synced later). It takes its place in the history by played_at, so it is
    /// returned only while it is among the 50 latest plays. The track is a normal catalogue track.
    /// </summary>
    /// <param name="playedAt">When it was played; kept to the millisecond, like every played_at.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="playedAt"/> is in the future: Spotify only
    /// shows finished plays.</exception>
    /// <exception cref="InvalidOperationException">The user already has a play at that millisecond.</exception>
    public EmulatorPlay AddLatePlay(string userId, DateTimeOffset playedAt)
    {
        var user = GetUser(userId);
        var now = TimeProvider.GetUtcNow();
        if (playedAt > now)
        {
            throw new ArgumentOutOfRangeException(nameof(playedAt), playedAt, $"A late play must already have happened (now is {now:O}).");
        }

        return user.LatePlays.Add(user.Schedule, playedAt.ToUnixTimeMilliseconds());
    }

    private (EmulatorUser User, IReadOnlyList<EmulatorPlay> Late, long Due) HistoryNow(string userId)
    {
        var user = GetUser(userId);

        // Late plays first, the clock second: every late play read was played at or before its own "now",
        // so none of them can be newer than the time this history is read at.
        var late = user.LatePlays.Snapshot;
        return (user, late, user.Schedule.CountDue(TimeProvider.GetUtcNow()));
    }

    /// <summary>The user withdraws access: refreshing with their current refresh token now gets invalid_grant.</summary>
    public void RevokeRefreshToken(string userId) => tokens.Revoke(GetUser(userId));

    /// <summary>The user signs in again: a new valid refresh token replaces the old one, which stops working.</summary>
    public string Reauthorize(string userId) => tokens.Reauthorize(GetUser(userId));

    /// <summary>Every access token issued so far to the user now gets 401 "The access token expired".</summary>
    public void ExpireAccessTokens(string userId)
    {
        GetUser(userId);
        tokens.ExpireAccessTokens(userId);
    }

    /// <summary>
    /// The user signs in through the app: a single-use code for <paramref name="redirectUri"/>, redeemable at the token
    /// endpoint (authorization_code grant) until it expires; with <paramref name="codeChallenge"/> (S256) only with PKCE.
    /// </summary>
    public IssuedAuthorizationCode IssueAuthorizationCode(string userId, string redirectUri, string? codeChallenge = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(redirectUri);
        var effective = lifetime ?? AuthorizationCodes.DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(effective, TimeSpan.Zero, nameof(lifetime));
        return authorizationCodes.Issue(GetUser(userId), redirectUri, codeChallenge, effective);
    }

    public void SetRotation(string userId, bool rotate) => GetUser(userId).RotateRefreshTokens = rotate;

    public void ClearRequests() => requestLog.Clear();

    internal void Record(EmulatorRequest request) => requestLog.Add(request);
}
