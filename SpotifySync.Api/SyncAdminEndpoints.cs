using Microsoft.AspNetCore.Http.HttpResults;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>Cluster-wide routes: sync everyone, look at the coordinator's queue.</summary>
public static class SyncAdminEndpoints
{
    public static RouteGroupBuilder MapSyncAdminEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/spotify/sync-all-users", SyncAllAsync).WithTags("Sync").WithName("SyncAllUsers")
            .WithSummary("Queue every active user; answers how many and when the queue should be drained");
        api.MapGet("/sync/status", StatusAsync).WithTags("Sync").WithName("GetCoordinatorStatus")
            .WithSummary("The coordinator: queue length, paused-until, spacing, users per hour it can serve");
        return api;
    }

    private static async Task<Accepted<SyncAllResponse>> SyncAllAsync(IGrainFactory grains)
    {
        var result = await grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value).EnqueueAllActiveUsersAsync(SyncTrigger.SyncAll);
        return TypedResults.Accepted("/api/sync/status",
            new SyncAllResponse(result.UsersFound, result.NewlyQueued, result.QueueLength, result.EstimatedFinish));
    }

    private static async Task<Ok<CoordinatorStatus>> StatusAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISyncCoordinatorGrain>(SyncCoordinatorKey.Value).GetStatusAsync());
}
