using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SpotifySync.Api;

/// <summary>
/// What binding refuses (malformed JSON, an empty body, <c>?wait=maybe</c>, a content type that is not JSON) becomes a
/// 400 or 415 problem+json that says what was wrong, instead of an empty answer. Binding throws these because
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on.
/// </summary>
public sealed partial class BadRequestExceptionHandler(ApiProblemWriter problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var (title, detail) = Describe(bad, http.Request);
        // The route's template, not the path: a path may hold anything, and a log line must not.
        LogRefused(logger, http.Request.Method, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)", bad.StatusCode, title);
        await problems.WriteAsync(http, bad.StatusCode, title, detail);
        return true;
    }

    private static (string Title, string Detail) Describe(BadHttpRequestException bad, HttpRequest request) => bad switch
    {
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            ("Unsupported media type", $"{bad.Message} Send the body as application/json."),
        { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            ("Request body too large", $"A request body may be at most {RequestBodyLimitMiddleware.MaxBytes} bytes."),
        { InnerException: JsonException json } =>
            ("Malformed JSON body", $"The request body is not valid JSON for this route: {json.Message}"),
        // Binding says "no body was provided" in words that talk about its own inference; say it plainly.
        { StatusCode: StatusCodes.Status400BadRequest, InnerException: null }
            when request.ContentLength is 0 or null && bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
            ("Empty request body", "This route needs a JSON body and the request has none."),
        _ when bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) =>
            ("Bad query or route value", $"{bad.Message} See the parameter's type in /openapi/v1.json (e.g. wait is true or false)."),
        _ => ("Bad request", bad.Message),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Route}: request refused with {Status} ({Reason})")]
    private static partial void LogRefused(ILogger logger, string method, string route, int status, string reason);
}
