namespace SpotifySync.SpotifyEmulator;

/// <summary><c>POST /api/token</c> of accounts.spotify.com, refresh_token grant only.</summary>
internal sealed class TokenEndpoint(EmulatorState state)
{
    public const string Scope = "user-read-recently-played user-read-email";

    public async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : FormCollection.Empty;

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
            await JsonResponse.OAuthErrorAsync(context, "unsupported_grant_type", "grant_type must be refresh_token (the emulator supports no other)");
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
}
