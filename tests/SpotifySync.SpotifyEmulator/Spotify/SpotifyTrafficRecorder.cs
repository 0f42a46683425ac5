namespace SpotifySync.SpotifyEmulator;

/// <summary>Outermost middleware: logs every Spotify request with the status it finally got, faults included.</summary>
internal sealed class SpotifyTrafficRecorder(RequestDelegate next, EmulatorState state)
{
    private static readonly object CallerKey = new();

    /// <summary>The user a request was identified as (null: unknown), for faults that hit one user only.</summary>
    public static string? CallerOf(HttpContext context) => context.Items[CallerKey] as string;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!SpotifyRoutes.IsSpotifyTraffic(context))
        {
            await next(context);
            return;
        }

        var receivedAt = state.TimeProvider.GetUtcNow();

        // Resolved before the endpoint runs: a rotation would otherwise already have replaced the token.
        var (userId, refreshTokenUsed) = await IdentifyAsync(context);
        context.Items[CallerKey] = userId;
        var statusCode = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            statusCode = context.Response.StatusCode;
        }
        finally
        {
            state.Record(new EmulatorRequest(
                receivedAt,
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                userId,
                statusCode,
                refreshTokenUsed)
            {
                ClientAddress = context.Connection.RemoteIpAddress is { } address
                    ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
                    : null,
            });
        }
    }

    private async Task<(string? UserId, string? RefreshToken)> IdentifyAsync(HttpContext context)
    {
        if (context.Request.Path.Equals(SpotifyRoutes.Token, StringComparison.OrdinalIgnoreCase))
        {
            if (!context.Request.HasFormContentType)
            {
                return (null, null);
            }

            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var refreshToken = form["refresh_token"].ToString();
                if (refreshToken.Length > 0)
                {
                    return (state.Tokens.OwnerOfRefreshToken(refreshToken), refreshToken);
                }
                var code = form["code"].ToString();
                return code.Length == 0 ? (null, null) : (state.AuthorizationCodes.OwnerOf(code), null);
            }
            catch (InvalidDataException)
            {
                return (null, null);
            }
        }

        var accessToken = BearerToken.From(context.Request);
        return (accessToken is null ? null : state.Tokens.CheckAccessToken(accessToken).UserId, null);
    }
}
