namespace SpotifySync.SpotifyEmulator;

internal static class BearerToken
{
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    /// <summary>The user the request acts for, or null after answering 401 the way the Web API does.</summary>
    public static async Task<string?> AuthenticateAsync(HttpContext context, EmulatorState state)
    {
        var token = From(context.Request);
        var check = token is null ? new AccessTokenCheck(AccessTokenStatus.Unknown, null) : state.Tokens.CheckAccessToken(token);
        if (check.Status == AccessTokenStatus.Valid && check.UserId is not null && state.TryGetUser(check.UserId, out _))
        {
            return check.UserId;
        }

        var message = check.Status == AccessTokenStatus.Expired ? "The access token expired" : "Invalid access token";
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"{message}\"";
        await JsonResponse.WebApiErrorAsync(context, StatusCodes.Status401Unauthorized, message);
        return null;
    }
}
