using Microsoft.AspNetCore.Mvc;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>A problem+json body for typed 404/409 results (which otherwise would be plain JSON).</summary>
public sealed class ProblemDetailsBody : ProblemDetails
{
    public static ProblemDetailsBody NotConnected(string userId) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "User has not connected Spotify",
        Detail = $"No Spotify connection is known for user '{userId}'. Connect with PUT /api/users/{{userId}}/spotify.",
    };

    public static ProblemDetailsBody NotActive(string userId, UserSyncStatus status) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "User's Spotify connection is not active",
        Detail = status.State == UserConnectionState.NeedsReconnect
            ? $"User '{userId}' must reconnect Spotify: {status.ReconnectReason}"
            : $"User '{userId}' disconnected Spotify.",
    };
}
