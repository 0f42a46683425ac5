namespace SpotifySync.Grains.Interfaces;

/// <summary>
/// An authorization code from the app's Spotify sign-in, for SpotifySync to exchange itself. With
/// <see cref="CodeVerifier"/> the exchange is PKCE (no client secret sent); without it, client credentials.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuthorizationCodeGrant(
    [property: Id(0)] string Code,
    [property: Id(1)] string RedirectUri,
    [property: Id(2)] string? CodeVerifier = null)
{
    // The code (and verifier) are credentials until Spotify has redeemed them: never in a log line.
    public override string ToString() => $"AuthorizationCodeGrant {{ RedirectUri = {RedirectUri}, Pkce = {CodeVerifier is not null} }}";
}
