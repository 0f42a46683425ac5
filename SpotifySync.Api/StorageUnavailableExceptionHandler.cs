using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>
/// PostgreSQL is away: 503 with Retry-After, so the app tries again. The silo already logged the cause (once per
/// outage); this side logs one line without it.
/// </summary>
public sealed class StorageUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<StorageUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (Find(exception) is not { } unavailable)
        {
            return false;
        }
        logger.LogWarning("{Method} {Path}: PostgreSQL unavailable, answered 503", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable",
                Detail = $"{unavailable.Message}. Try again in {RetryAfterSeconds} seconds.",
            },
        });
    }

    // Orleans may hand the grain's exception over as it is or wrapped (e.g. when an activation failed).
    private static StorageUnavailableException? Find(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageUnavailableException found)
            {
                return found;
            }
        }
        return null;
    }
}
