using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>Routes about one user: connect, disconnect, "Sync Data", status. Each forwards to that user's grain.</summary>
public static partial class UserSyncEndpoints
{
    private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(250);

    public static RouteGroupBuilder MapUserSyncEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users/{userId}").WithTags("Users")
            .AddEndpointFilter<UserIdEndpointFilter>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPut("/spotify", ConnectAsync).WithName("ConnectSpotify")
            .WithSummary("Connect or reconnect a user's Spotify account; queues a first sync")
            .Accepts<ConnectSpotifyRequest>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        users.MapDelete("/spotify", DisconnectAsync).WithName("DisconnectSpotify")
            .WithSummary("Disconnect: stop the schedule, forget tokens, keep the plays");
        users.MapPost("/sync", SyncAsync).WithName("RequestSync")
            .WithSummary("Queue a manual sync (\"Sync Data\"); ?wait=true waits for the outcome (bounded)")
            .WithDescription("At most one manual sync per user reaches Spotify per Api:ManualSyncCooldown: pressed again within it, " +
                "the answer is the sync already pending (202, alreadyQueued) or, once it finished, its outcome (200).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        users.MapGet("/sync-status", StatusAsync).WithName("GetUserSyncStatus")
            .WithSummary("The user's sync state, last outcome, next due time and totals");
        return api;
    }

    private static async Task<Results<Ok<SyncStatusResponse>, ValidationProblem>> ConnectAsync(
        string userId, ConnectSpotifyRequest body, IGrainFactory grains, TimeProvider time, ILoggerFactory loggers)
    {
        var errors = body.Validate(time.GetUtcNow());
        if (errors.Count > 0)
        {
            // Field names only: the body may hold tokens.
            LogConnectRefused(loggers.CreateLogger(typeof(UserSyncEndpoints)), userId, string.Join(", ", errors.Keys));
            return ApiProblems.Invalid(errors, "The connect request is not valid");
        }
        var connected = await grains.GetGrain<IUserSyncGrain>(userId)
            .ConnectAsync(new SpotifyConnection(body.RefreshToken!, body.AccessToken, body.ExpiresAt, body.Scope));
        return TypedResults.Ok(SyncStatusResponse.From(connected.Status, connected.FirstSync?.Position));
    }

    private static async Task<Results<Ok<SyncStatusResponse>, ProblemHttpResult>> DisconnectAsync(
        string userId, IGrainFactory grains)
    {
        var status = await grains.GetGrain<IUserSyncGrain>(userId).DisconnectAsync();
        if (status.State == UserConnectionState.NotConnected)
        {
            return UserProblems.NotConnected(userId);
        }
        return TypedResults.Ok(SyncStatusResponse.From(status, null));
    }

    private static async Task<Results<Accepted<SyncQueuedResponse>, Ok<SyncCompletedResponse>, ProblemHttpResult>> SyncAsync(
        string userId, bool? wait, IGrainFactory grains, IOptions<ApiOptions> options, TimeProvider time, HttpContext http)
    {
        var grain = grains.GetGrain<IUserSyncGrain>(userId);
        var answer = await grain.RequestManualSyncAsync(options.Value.ManualSyncCooldown);
        if (answer.Ticket is not { } ticket)
        {
            if (answer.Status.State == UserConnectionState.NotConnected)
            {
                return UserProblems.NotConnected(userId);
            }
            if (answer.Status.State != UserConnectionState.Active)
            {
                return UserProblems.NotActive(userId, answer.Status);
            }
            // Within the cooldown, and the manual sync it let through has finished: its outcome is the answer.
            return CompletedResponse(userId, answer.Status.LastSyncId!.Value, answer.Status, await Coordinator(grains).GetPositionAsync(userId));
        }
        var statusUrl = $"/api/users/{Uri.EscapeDataString(userId)}/sync-status";
        if (wait == true)
        {
            // Poll the grain's state rather than holding a grain call open: no grain ever waits on Spotify. The
            // ticket names the sync that serves this request, so one already running when it came is not mistaken for it.
            var deadline = time.GetUtcNow() + options.Value.ManualSyncWaitTimeout;
            while (time.GetUtcNow() < deadline && !http.RequestAborted.IsCancellationRequested)
            {
                var status = await grain.GetStatusAsync();
                if (status.LastSyncId == ticket.SyncId)
                {
                    return CompletedResponse(userId, ticket.SyncId, status, await Coordinator(grains).GetPositionAsync(userId));
                }
                await Task.Delay(WaitPollInterval, time, http.RequestAborted);
            }
        }
        return TypedResults.Accepted(statusUrl,
            new SyncQueuedResponse(userId, ticket.SyncId, ticket.Position, ticket.AlreadyQueued, ticket.EstimatedStart, statusUrl));
    }

    private static async Task<Results<Ok<SyncStatusResponse>, ProblemHttpResult>> StatusAsync(
        string userId, IGrainFactory grains)
    {
        var status = await grains.GetGrain<IUserSyncGrain>(userId).GetStatusAsync();
        if (status.State == UserConnectionState.NotConnected)
        {
            return UserProblems.NotConnected(userId);
        }
        return TypedResults.Ok(SyncStatusResponse.From(status, await Coordinator(grains).GetPositionAsync(userId)));
    }

    private static Ok<SyncCompletedResponse> CompletedResponse(string userId, Guid syncId, UserSyncStatus status, int? queuePosition) =>
        TypedResults.Ok(new SyncCompletedResponse(userId, syncId, status.LastSyncOutcome, status.LastSyncTracks, status.LastError,
            status.LastSyncCompletedAt, SyncStatusResponse.From(status, queuePosition)));

    private static ISyncCoordinatorGrain Coordinator(IGrainFactory grains) => grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: connect request refused, invalid {Fields}")]
    private static partial void LogConnectRefused(ILogger logger, string userId, string fields);
}
