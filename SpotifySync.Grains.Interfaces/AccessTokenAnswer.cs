namespace SpotifySync.Grains.Interfaces;

/// <summary>What the token broker (<see cref="IUserSyncGrain.GetAccessTokenAsync"/>) answers.</summary>
[GenerateSerializer]
public enum AccessTokenAnswerKind
{
    /// <summary>An access token with at least five minutes left.</summary>
    Issued = 0,
    /// <summary>The app never connected this user.</summary>
    NotConnected = 1,
    /// <summary>The user must reconnect or disconnected: no token is held.</summary>
    NotActive = 2,
    /// <summary>No token now without waiting on Spotify (paused by a 429, no budget permit soon, a refresh still under way): ask again after <see cref="AccessTokenAnswer.RetryAfter"/>.</summary>
    TryLater = 3,
}

/// <summary>
/// The broker's answer. <see cref="AccessToken"/> is set only when <see cref="Kind"/> is <see cref="AccessTokenAnswerKind.Issued"/>;
/// <see cref="Status"/> for <see cref="AccessTokenAnswerKind.NotConnected"/> and <see cref="AccessTokenAnswerKind.NotActive"/>;
/// <see cref="RetryAfter"/> and <see cref="Reason"/> for <see cref="AccessTokenAnswerKind.TryLater"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccessTokenAnswer(
    [property: Id(0)] AccessTokenAnswerKind Kind,
    [property: Id(1)] string? AccessToken = null,
    [property: Id(2)] DateTimeOffset? ExpiresAt = null,
    [property: Id(3)] string? Scope = null,
    [property: Id(4)] TimeSpan? RetryAfter = null,
    [property: Id(5)] string? Reason = null,
    [property: Id(6)] UserSyncStatus? Status = null)
{
    public static AccessTokenAnswer Issued(string accessToken, DateTimeOffset expiresAt, string? scope) =>
        new(AccessTokenAnswerKind.Issued, accessToken, expiresAt, scope);

    public static AccessTokenAnswer TryLater(TimeSpan retryAfter, string reason) =>
        new(AccessTokenAnswerKind.TryLater, RetryAfter: retryAfter, Reason: reason);

    /// <summary>A user without tokens: never connected, or must reconnect, or disconnected.</summary>
    public static AccessTokenAnswer WithoutToken(UserSyncStatus status) =>
        new(status.State == UserConnectionState.NotConnected ? AccessTokenAnswerKind.NotConnected : AccessTokenAnswerKind.NotActive, Status: status);

    // The token must never reach a log line through the record's generated ToString.
    public override string ToString() =>
        $"AccessTokenAnswer {{ Kind = {Kind}, HasAccessToken = {AccessToken is not null}, ExpiresAt = {ExpiresAt:O}, RetryAfter = {RetryAfter} }}";
}
