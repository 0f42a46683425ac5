using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SpotifySync.Api;

/// <summary>
/// The API's problem+json conventions: every 4xx carries a <c>detail</c> a developer can act on. Shared by every
/// route, including ones added later.
/// </summary>
public static class ApiProblems
{
    /// <summary>400 with the fields in <c>errors</c> and all their messages in <c>detail</c>.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string title) =>
        TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(m => m)), title: title);

    /// <summary>Fills the <c>detail</c> of answers the framework makes without one (no route, wrong method).</summary>
    public static void AddMissingDetail(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }
        problem.Detail = problem switch
        {
            HttpValidationProblemDetails { Errors.Count: > 0 } invalid => string.Join(" ", invalid.Errors.Values.SelectMany(m => m)),
            _ => problem.Status switch
            {
                StatusCodes.Status404NotFound => $"No route matches {context.HttpContext.Request.Method} on this path; see /openapi/v1.json.",
                StatusCodes.Status405MethodNotAllowed => $"This route does not accept {context.HttpContext.Request.Method}; see /openapi/v1.json.",
                StatusCodes.Status400BadRequest => "The request is malformed.",
                StatusCodes.Status415UnsupportedMediaType => "This route takes a JSON body: send it with Content-Type: application/json.",
                StatusCodes.Status500InternalServerError => "The server failed to answer this request; it has been logged.",
                _ => problem.Title ?? "The request was refused.",
            },
        };
    }
}
