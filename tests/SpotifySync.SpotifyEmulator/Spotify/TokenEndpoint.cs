namespace SpotifySync.SpotifyEmulator;

/// <summary>
/// <c>POST /api/token</c> of accounts.spotify.com: the refresh_token grant, and the authorization_code grant with
/// client credentials (Basic header or form) or with PKCE (<c>client_id</c> and <c>code_verifier</c>, no secret).
/// </summary>
internal sealed class TokenEndpoint(EmulatorState state)
{
    public const string Scope = "user-read-recently-played user-read-email";

    public async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : FormCollection.Empty;

        var grantType = form["grant_type"].ToString();
        var pkce = IsPkceClient(context.Request, form, grantType);
        if (!(pkce ? IsKnownPublicClient(form) : IsKnownConfidentialClient(context.Request, form)) || state.Faults.RejectClientCredentials)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_client", "Invalid client");
            return;
        }

        switch (grantType)
        {
            case "":
                await JsonResponse.OAuthErrorAsync(context, "unsupported_grant_type", "grant_type parameter is missing");
                return;
            case "refresh_token":
                await RefreshAsync(context, form);
                return;
            case "authorization_code":
                await ExchangeCodeAsync(context, form, pkce);
                return;
            default:
                await JsonResponse.OAuthErrorAsync(context, "unsupported_grant_type", "grant_type must be refresh_token or authorization_code");
                return;
        }
    }

    private async Task RefreshAsync(HttpContext context, IFormCollection form)
    {
        var refreshToken = form["refresh_token"].ToString();
        if (refreshToken.Length == 0)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_request", "refresh_token must be supplied");
            return;
        }

        var issued = state.Tokens.Refresh(refreshToken);
        if (issued is null)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_grant", "Invalid refresh token");
            return;
        }

        await WriteTokensAsync(context, issued);
    }

    private async Task ExchangeCodeAsync(HttpContext context, IFormCollection form, bool pkce)
    {
        var code = form["code"].ToString();
        var redirectUri = form["redirect_uri"].ToString();
        if (code.Length == 0 || redirectUri.Length == 0)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_request", "code and redirect_uri must be supplied");
            return;
        }

        var (user, refusal) = state.AuthorizationCodes.Redeem(code, redirectUri, pkce ? form["code_verifier"].ToString() : null);
        if (user is null)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_grant", refusal!);
            return;
        }

        // The first tokens of a sign-in always carry a refresh token.
        var (issued, _) = state.Tokens.Authorize(user);
        await WriteTokensAsync(context, issued);
    }

    private static async Task WriteTokensAsync(HttpContext context, IssuedTokens issued)
    {
        var body = new TokenJson(issued.AccessToken, "Bearer", Scope, (int)issued.ExpiresIn.TotalSeconds, issued.RotatedRefreshToken);
        context.Response.Headers.CacheControl = "no-store";
        await JsonResponse.WriteAsync(context, StatusCodes.Status200OK, body, SpotifyJsonContext.Default.TokenJson, JsonResponse.AccountsContentType);
    }

    /// <summary>PKCE: an authorization_code request that names the client in the form, sends a verifier and no secret at all.</summary>
    private static bool IsPkceClient(HttpRequest request, IFormCollection form, string grantType) =>
        grantType == "authorization_code"
        && request.Headers.Authorization.Count == 0
        && form["client_secret"].Count == 0
        && form["client_id"].ToString().Length > 0
        && form["code_verifier"].ToString().Length > 0;

    private bool IsKnownPublicClient(IFormCollection form) => string.Equals(form["client_id"].ToString(), state.Settings.ClientId, StringComparison.Ordinal);

    private bool IsKnownConfidentialClient(HttpRequest request, IFormCollection form) =>
        ClientCredentials.From(request, form) is { } client && client.Matches(state.Settings);
}
