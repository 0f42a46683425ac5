namespace SpotifySync.Api;

/// <summary>
/// Every <c>/api/users/{userId}</c> route refuses an id outside <see cref="UserIdRules"/> with 400 problem+json before
/// its handler runs, so no handler (and no grain) ever sees one. A refused id is not echoed: it could forge log lines.
/// </summary>
public sealed class UserIdEndpointFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (UserIdRules.Validate(context.HttpContext.GetRouteValue("userId") as string ?? "") is { } errors)
        {
            return ApiProblems.Invalid(errors, "The user id is not valid");
        }
        return await next(context);
    }
}
