namespace SpotifySync.Api;

/// <summary>
/// Body of <c>POST /api/users/{userId}/spotify/authorization-code</c>: the code of the app's Spotify sign-in, the
/// redirect URI it was issued for, and the PKCE verifier when the sign-in used PKCE. Checked here simply (printable
/// ASCII, bounded lengths; the verifier as RFC 7636 defines it); Spotify judges the rest.
/// </summary>
public sealed record AuthorizationCodeRequest(string? Code, string? RedirectUri, string? CodeVerifier)
{
    public const int MaxCodeLength = 2048;
    public const int MaxRedirectUriLength = 2048;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(Code))
        {
            errors["code"] = ["code is required."];
        }
        else if (Code.Length > MaxCodeLength || !IsPrintableAscii(Code))
        {
            errors["code"] = [$"code must be 1 to {MaxCodeLength} printable ASCII characters."];
        }
        if (string.IsNullOrEmpty(RedirectUri))
        {
            errors["redirectUri"] = ["redirectUri is required: the redirect URI the code was issued for."];
        }
        else if (RedirectUri.Length > MaxRedirectUriLength || !IsPrintableAscii(RedirectUri)
            || !Uri.TryCreate(RedirectUri, UriKind.Absolute, out _))
        {
            errors["redirectUri"] = [$"redirectUri must be an absolute URI of at most {MaxRedirectUriLength} printable ASCII characters."];
        }
        if (CodeVerifier is not null && !IsPkceVerifier(CodeVerifier))
        {
            errors["codeVerifier"] = ["codeVerifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636)."];
        }
        return errors;
    }

    private static bool IsPrintableAscii(string text) => text.All(c => c is >= '!' and <= '~');

    private static bool IsPkceVerifier(string verifier) =>
        verifier.Length is >= 43 and <= 128 && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    // The code and verifier are credentials until Spotify redeems them.
    public override string ToString() => $"AuthorizationCodeRequest {{ RedirectUri = {RedirectUri}, Pkce = {CodeVerifier is not null} }}";
}
