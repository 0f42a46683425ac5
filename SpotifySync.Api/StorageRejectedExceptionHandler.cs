using Microsoft.AspNetCore.Diagnostics;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>
/// PostgreSQL refused a value the request carried (SQLSTATE class 22: e.g. a NUL in text): the request was wrong,
/// say so with 400. Validation should have stopped such a value first; this keeps a gap in it from becoming a 500.
/// Any other refusal is ours, not the caller's, and stays a 500.
/// </summary>
public sealed partial class StorageRejectedExceptionHandler(ApiProblemWriter problems, ILogger<StorageRejectedExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (Find(exception) is not { IsDataRefused: true } refused)
        {
            return false;
        }
        LogRefused(logger, http.Request.Method, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)", refused.SqlState);
        await problems.WriteAsync(http, StatusCodes.Status400BadRequest, "A value was refused by the database",
            $"PostgreSQL refused a value of this request (SQLSTATE {refused.SqlState}); nothing was changed.");
        return true;
    }

    private static StorageRejectedException? Find(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageRejectedException found)
            {
                return found;
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Route}: PostgreSQL refused a value of the request (SQLSTATE {SqlState}), answered 400")]
    private static partial void LogRefused(ILogger logger, string method, string route, string? sqlState);
}
