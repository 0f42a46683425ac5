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
    private readonly RequestLog requestLog = new();

    public EmulatorState(EmulatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.AccessTokenLifetime, TimeSpan.Zero);
        Settings = settings;
        Faults = new EmulatorFaults(settings.TimeProvider);
        tokens = new TokenStore(settings.TimeProvider, settings.AccessTokenLifetime);
    }

    public EmulatorSettings Settings { get; }

    public EmulatorFaults Faults { get; }

    public IReadOnlyList<EmulatorUser> Users => [.. users.Values.OrderBy(user => user.UserId, StringComparer.Ordinal)];

    /// <summary>Every request to a Spotify endpoint, in arrival order.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => requestLog.Snapshot();

    internal TimeProvider TimeProvider => Settings.TimeProvider;

    internal TokenStore Tokens => tokens;

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
        var schedule = GetUser(userId).Schedule;
        return schedule.Range(0, schedule.CountDue(TimeProvider.GetUtcNow()));
    }

    /// <summary>What Spotify still has for the user right now: at most the 50 latest plays, newest first.</summary>
    internal IReadOnlyList<EmulatorPlay> RecentPlaysOf(string userId)
    {
        var schedule = GetUser(userId).Schedule;
        var due = schedule.CountDue(TimeProvider.GetUtcNow());
        var recent = schedule.Range(due - RecentPlaysKept, due);
        return [.. recent.Reverse()];
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

    public void SetRotation(string userId, bool rotate) => GetUser(userId).RotateRefreshTokens = rotate;

    public void ClearRequests() => requestLog.Clear();

    internal void Record(EmulatorRequest request) => requestLog.Add(request);
}
