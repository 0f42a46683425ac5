namespace SpotifySync.Api;

/// <summary>
/// No <c>/api</c> body may exceed <see cref="MaxBytes"/>: the largest real one (a connect) is a few KB. The body is
/// read here, up to one byte past the limit, so an oversized one is refused with 413 problem+json before binding,
/// whether it announced its length or came chunked; what passes is kept for the endpoint to read.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, ApiProblemWriter problems)
{
    public const int MaxBytes = 16 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBytes || (http.Request.ContentLength is null && CanHaveBody(http) && !await FitsAsync(http)))
        {
            await problems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"A request body may be at most {MaxBytes} bytes.");
            return;
        }
        await next(http);
    }

    private static bool CanHaveBody(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;

    private static async Task<bool> FitsAsync(HttpContext http)
    {
        http.Request.EnableBuffering(bufferThreshold: MaxBytes + 1, bufferLimit: MaxBytes + 1);
        var buffer = new byte[MaxBytes + 1];
        var total = 0;
        try
        {
            int read;
            while (total <= MaxBytes && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(total), http.RequestAborted)) > 0)
            {
                total += read;
            }
        }
        catch (IOException)
        {
            // EnableBuffering's limit was hit: more than MaxBytes + 1.
            return false;
        }
        http.Request.Body.Position = 0;
        return total <= MaxBytes;
    }
}
