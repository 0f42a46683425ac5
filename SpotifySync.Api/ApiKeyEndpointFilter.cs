using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SpotifySync.Api;

/// <summary>Every <c>/api</c> route needs a known <c>X-Api-Key</c>; compared in constant time.</summary>
public sealed class ApiKeyEndpointFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[][] _keys = options.Value.Keys
        .Where(k => !string.IsNullOrWhiteSpace(k))
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))
        .ToArray();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(presented) || !IsKnown(presented))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Missing or unknown API key",
                detail: $"Send one of the configured keys in the {HeaderName} header.");
        }
        return await next(context);
    }

    private bool IsKnown(string presented)
    {
        // Hash first so the comparison takes the same time whatever the lengths.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var known = false;
        foreach (var key in _keys)
        {
            known |= CryptographicOperations.FixedTimeEquals(hash, key);
        }
        return known;
    }
}
