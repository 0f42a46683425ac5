using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpotifySync.Api;

/// <summary>
/// What the attributes on <see cref="ConnectSpotifyRequest"/> cannot say: the refresh token is a non-empty string (its
/// property is nullable only so that a missing one gets a 400 naming it), tokens are never empty, and the expiry's range.
/// </summary>
public sealed class ConnectRequestSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(ConnectSpotifyRequest) || schema.Properties is null)
        {
            return Task.CompletedTask;
        }
        if (schema.Properties.TryGetValue("refreshToken", out var refresh) && refresh is OpenApiSchema refreshToken)
        {
            refreshToken.Type = JsonSchemaType.String;
            refreshToken.MinLength = 1;
        }
        if (schema.Properties.TryGetValue("accessToken", out var access) && access is OpenApiSchema accessToken)
        {
            accessToken.MinLength = 1;
        }
        if (schema.Properties.TryGetValue("expiresAt", out var expires) && expires is OpenApiSchema expiresAt)
        {
            expiresAt.Description = "When accessToken expires; only with accessToken, and within a day of now.";
        }
        return Task.CompletedTask;
    }
}
