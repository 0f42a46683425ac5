using Microsoft.AspNetCore.Mvc;

namespace SpotifySync.Api;

/// <summary>Writes a problem+json answer from middleware and exception handlers (endpoints use typed results).</summary>
public sealed class ApiProblemWriter(IProblemDetailsService problems)
{
    public async Task WriteAsync(HttpContext http, int status, string title, string detail, TimeSpan? retryAfter = null)
    {
        http.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        };
        if (!await problems.TryWriteAsync(context))
        {
            // The client's Accept header ruled problem+json out; the answer is still problem+json (the API speaks no other).
            http.Response.ContentType = "application/problem+json";
            await http.Response.WriteAsJsonAsync(context.ProblemDetails, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}
