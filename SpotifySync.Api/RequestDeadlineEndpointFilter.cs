using Microsoft.Extensions.Options;

namespace SpotifySync.Api;

/// <summary>
/// Every <c>/api</c> request is answered within its deadline: when the cluster has not answered by then (a silo killed
/// or cut off, its grains not yet moved), the request ends in a 503 problem+json with Retry-After through
/// <see cref="ClusterUnavailableExceptionHandler"/>, never a hang. The grain call left behind ends by itself at the
/// Orleans client's response timeout, which is the same value.
/// </summary>
public sealed class RequestDeadlineEndpointFilter(IOptions<ApiOptions> options, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await next(context).AsTask().WaitAsync(DeadlineOf(context.HttpContext.Request, options.Value), time);

    /// <summary><c>?wait=true</c> waits for the sync on top of the cluster's answer; everything else gets the cluster's answer alone.</summary>
    public static TimeSpan DeadlineOf(HttpRequest request, ApiOptions options) =>
        request.Query.TryGetValue("wait", out var wait) && bool.TryParse(wait, out var waits) && waits
            ? options.ClusterCallTimeout + options.ManualSyncWaitTimeout
            : options.ClusterCallTimeout;
}
