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

        if (form["grant_type"].ToString() == "authorization_code")
        {
            await ExchangeCodeAsync(context, form);
            return;
        }

        var client = ClientCredentials.From(context.Request, form);
        if (client is null || !client.Matches(state.Settings) || state.Faults.RejectClientCredentials)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_client", "Invalid client");
            return;
        }

        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            await JsonResponse.OAuthErrorAsync(context, "unsupported_grant_type", "grant_type parameter is missing");
            return;
        }

        if (grantType != "refresh_token")
        {
            await JsonResponse.OAuthErrorAsync(context, "unsupported_grant_type", "grant_type must be refresh_token or authorization_code");
            return;
        }

        var refreshToken = form["refresh_token"].ToString();
        if (refreshToken.Length == 0)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_request", "refresh_token must be supplied");
            return;
        }

        if (state.Faults.RefuseRefreshGrants)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_grant", "Invalid refresh token");
            return;
        }

        var issued = state.Tokens.Refresh(refreshToken);
        if (issued is null)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_grant", "Invalid refresh token");
            return;
        }

        var body = new TokenJson(issued.AccessToken, "Bearer", Scope, (int)issued.ExpiresIn.TotalSeconds, issued.RotatedRefreshToken);
        context.Response.Headers.CacheControl = "no-store";
        await JsonResponse.WriteAsync(context, StatusCodes.Status200OK, body, SpotifyJsonContext.Default.TokenJson, JsonResponse.AccountsContentType);
    }

    private async Task ExchangeCodeAsync(HttpContext context, IFormCollection form)
    {
        var pkce = IsPkceClient(context.Request, form);
        var known = pkce
            ? string.Equals(form["client_id"].ToString(), state.Settings.ClientId, StringComparison.Ordinal)
            : ClientCredentials.From(context.Request, form) is { } client && client.Matches(state.Settings);
        if (!known || state.Faults.RejectClientCredentials)
        {
            await JsonResponse.OAuthErrorAsync(context, "invalid_client", "Invalid client");
            return;
        }

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
        var (issued, refreshToken) = state.Tokens.Authorize(user);
        var body = new TokenJson(issued.AccessToken, "Bearer", Scope, (int)issued.ExpiresIn.TotalSeconds, refreshToken);
        context.Response.Headers.CacheControl = "no-store";
        await JsonResponse.WriteAsync(context, StatusCodes.Status200OK, body, SpotifyJsonContext.Default.TokenJson, JsonResponse.AccountsContentType);
    }

    /// <summary>PKCE: the client named in the form with a verifier, and no secret at all.</summary>
    private static bool IsPkceClient(HttpRequest request, IFormCollection form) =>
        request.Headers.Authorization.Count == 0
        && form["client_secret"].Count == 0
        && form["client_id"].ToString().Length > 0
        && form["code_verifier"].ToString().Length > 0;
}
