using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SpotifySync.Api;

/// <summary>
/// Every <c>/api</c> request needs a known <c>X-Api-Key</c>, checked before anything reads the body or binds a
/// parameter: without a key the answer is 401 whatever else is wrong with the request. Compared in constant time.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options, ApiProblemWriter problems)
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[][] _keys = options.Value.Keys
        .Where(k => !string.IsNullOrWhiteSpace(k))
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))
        .ToArray();

    public async Task InvokeAsync(HttpContext http)
    {
        var presented = http.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(presented) || !IsKnown(presented))
        {
            await problems.WriteAsync(http, StatusCodes.Status401Unauthorized, "Missing or unknown API key",
                $"Send one of the configured keys in the {HeaderName} header.");
            return;
        }
        await next(http);
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
