namespace SpotifySync.Grains.Interfaces;

[GenerateSerializer]
public enum AuthorizationCodeConnectAnswerKind
{
    /// <summary>Spotify took the code; the user is connected exactly as by <see cref="IUserSyncGrain.ConnectAsync"/>.</summary>
    Connected = 0,
    /// <summary>Spotify refused the exchange (<c>invalid_grant</c>, <c>invalid_client</c>, ...): nothing changed.</summary>
    Rejected = 1,
    /// <summary>Not exchanged now (paused by a 429, no budget permit soon, Spotify slow or failing): see <see cref="AuthorizationCodeConnectAnswer.Reason"/>.</summary>
    TryLater = 2,
}

/// <param name="Error">Spotify's OAuth error code, for <see cref="AuthorizationCodeConnectAnswerKind.Rejected"/>.</param>
/// <param name="Reason">In words: Spotify's description (never the code) or why to try later.</param>
[GenerateSerializer, Immutable]
public sealed record AuthorizationCodeConnectAnswer(
    [property: Id(0)] AuthorizationCodeConnectAnswerKind Kind,
    [property: Id(1)] UserConnected? Connected = null,
    [property: Id(2)] string? Error = null,
    [property: Id(3)] string? Reason = null,
    [property: Id(4)] TimeSpan? RetryAfter = null)
{
    public static AuthorizationCodeConnectAnswer Done(UserConnected connected) =>
        new(AuthorizationCodeConnectAnswerKind.Connected, Connected: connected);

    public static AuthorizationCodeConnectAnswer Rejected(string error, string reason) =>
        new(AuthorizationCodeConnectAnswerKind.Rejected, Error: error, Reason: reason);

    public static AuthorizationCodeConnectAnswer TryLater(TimeSpan retryAfter, string reason) =>
        new(AuthorizationCodeConnectAnswerKind.TryLater, Reason: reason, RetryAfter: retryAfter);
}
