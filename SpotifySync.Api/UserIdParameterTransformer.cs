using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpotifySync.Api;

/// <summary>States <see cref="UserIdRules"/> on every <c>userId</c> path parameter.</summary>
public sealed class UserIdParameterTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { Name: "userId", In: ParameterLocation.Path } userId)
            {
                userId.Description = "The app's user id: " + UserIdRules.Description;
                userId.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MinLength = 1,
                    MaxLength = UserIdRules.MaxLength,
                    Pattern = UserIdRules.Pattern,
                };
            }
        }
        return Task.CompletedTask;
    }
}
