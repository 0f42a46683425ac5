using Microsoft.AspNetCore.Http.HttpResults;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>The problem+json answers about a user's connection.</summary>
public static class UserProblems
{
    public static ProblemHttpResult NotConnected(string userId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "User has not connected Spotify",
        detail: $"No Spotify connection is known for user '{userId}'. Connect with PUT /api/users/{{userId}}/spotify.");

    public static ProblemHttpResult NotActive(string userId, UserSyncStatus status) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "User's Spotify connection is not active",
        detail: status.State switch
        {
            UserConnectionState.NeedsReconnect => $"User '{userId}' must reconnect Spotify: {status.ReconnectReason}",
            UserConnectionState.Quarantined =>
                $"Spotify refused the refresh token of user '{userId}'; its tokens are kept until it is clear whether Spotify refuses many users at once (an invalid_grant storm): then they are retried, otherwise the user must reconnect.",
            _ => $"User '{userId}' disconnected Spotify.",
        });
}
