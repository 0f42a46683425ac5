namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// Body of <c>POST /_emulator/users/{id}/authorization-codes</c>: what the app's sign-in sent to Spotify. With a
/// <see cref="CodeChallenge"/> the code is redeemable only with PKCE (method S256, the only one Spotify accepts).
/// </summary>
internal sealed class IssueCodeRequest
{
    public string? RedirectUri { get; init; }

    public string? CodeChallenge { get; init; }

    public string? CodeChallengeMethod { get; init; }

    /// <summary>Default 600 (10 minutes); short ones let a test see a code expire.</summary>
    public double? LifetimeSeconds { get; init; }
}
