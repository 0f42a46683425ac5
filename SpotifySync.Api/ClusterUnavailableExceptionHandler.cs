using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SpotifySync.Api;

/// <summary>When no silo answers, say 503 (try again) instead of a bare 500.</summary>
public sealed class ClusterUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or OrleansException))
        {
            return false;
        }
        logger.LogWarning(exception, "Cluster unavailable for {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        // About what the cluster needs to declare a lost silo dead and move its grains (README, "Running a cluster").
        http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The sync cluster is unavailable",
                Detail = "No silo answered in time; try again shortly.",
            },
        });
    }
}
