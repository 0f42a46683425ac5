using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>
/// SpotifySync as the only holder of a user's refresh token: the app asks for access tokens (the broker) and connects
/// users by handing over the authorization code, never a refresh token it would keep using (Spotify may rotate it on
/// every refresh: the first party to refresh would kill the other's token). No token or code is ever logged here.
/// </summary>
public static class SpotifyTokenEndpoints
{
    public static RouteGroupBuilder MapSpotifyTokenEndpoints(this RouteGroupBuilder api)
    {
        // The same id rule and declared answers as the other user routes (UserSyncEndpoints).
        var users = api.MapGroup("/users/{userId}/spotify").WithTags("Users")
            .AddEndpointFilter<UserIdEndpointFilter>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapGet("/access-token", AccessTokenAsync).WithName("GetAccessToken")
            .WithSummary("An access token with at least 5 minutes left, refreshed by SpotifySync when needed")
            .ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("/authorization-code", AuthorizationCodeAsync).WithName("ConnectWithAuthorizationCode")
            .WithSummary("Connect a user by the authorization code of its Spotify sign-in; SpotifySync exchanges it (client credentials or PKCE)")
            .Accepts<AuthorizationCodeRequest>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    private static async Task<Results<Ok<AccessTokenResponse>, ProblemHttpResult, ValidationProblem>> AccessTokenAsync(
        string userId, IGrainFactory grains, HttpContext http)
    {
        if (UserIdRules.Validate(userId) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var answer = await grains.GetGrain<IUserSyncGrain>(userId).GetAccessTokenAsync();
        http.Response.Headers.CacheControl = "no-store";
        return answer.Kind switch
        {
            AccessTokenAnswerKind.Issued => TypedResults.Ok(new AccessTokenResponse(answer.AccessToken!, answer.ExpiresAt!.Value, answer.Scope)),
            AccessTokenAnswerKind.NotConnected => UserProblems.NotConnected(userId),
            AccessTokenAnswerKind.NotActive => UserProblems.NotActive(userId, answer.Status!),
            _ => TryLater(http, answer.RetryAfter, "No access token can be had from Spotify right now", answer.Reason),
        };
    }

    private static async Task<Results<Ok<SyncStatusResponse>, ProblemHttpResult, ValidationProblem>> AuthorizationCodeAsync(
        string userId, AuthorizationCodeRequest body, IGrainFactory grains, HttpContext http)
    {
        var errors = UserIdRules.Validate(userId) ?? body.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The authorization-code request is not valid");
        }
        var answer = await grains.GetGrain<IUserSyncGrain>(userId)
            .ConnectWithAuthorizationCodeAsync(new AuthorizationCodeGrant(body.Code!, body.RedirectUri!, body.CodeVerifier));
        return answer.Kind switch
        {
            AuthorizationCodeConnectAnswerKind.Connected =>
                TypedResults.Ok(SyncStatusResponse.From(answer.Connected!.Status, answer.Connected.FirstSync?.Position)),
            AuthorizationCodeConnectAnswerKind.Rejected => TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Spotify refused the authorization code",
                detail: $"Spotify answered {answer.Error}{(string.IsNullOrEmpty(answer.Reason) ? "" : $" ({answer.Reason})")}. "
                    + "A code is single-use and short-lived, and must be exchanged with the redirect URI (and PKCE verifier) it was issued for: sign the user in again.",
                extensions: new Dictionary<string, object?> { ["spotifyError"] = answer.Error }),
            _ => TryLater(http, answer.RetryAfter, "The authorization code cannot be exchanged right now", answer.Reason),
        };
    }

    /// <summary>503 with Retry-After in whole seconds (at least 1): the request may be repeated as it is.</summary>
    private static ProblemHttpResult TryLater(HttpContext http, TimeSpan? retryAfter, string title, string? reason)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: title,
            detail: $"{reason}. Try again in {seconds} seconds.");
    }
}
