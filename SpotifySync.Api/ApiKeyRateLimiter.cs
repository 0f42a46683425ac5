using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SpotifySync.Api;

/// <summary>
/// One fixed window per API key (<c>Api:RateLimit</c>); a request over it gets 429 problem+json with Retry-After.
/// Runs after <see cref="ApiKeyMiddleware"/>, so only known keys get a window. A window is named by a hash of its key:
/// the key itself is kept nowhere outside the options and never logged.
/// </summary>
public static class ApiKeyRateLimiter
{
    public static void Configure(RateLimiterOptions limiter, ApiRateLimitOptions options)
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            RateLimitPartition.GetFixedWindowLimiter(PartitionOf(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit,
                Window = options.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = async (context, _) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
            await context.HttpContext.RequestServices.GetRequiredService<ApiProblemWriter>().WriteAsync(
                context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This API key made more than {options.PermitLimit} requests within {options.Window}; try again after Retry-After.",
                retryAfter);
        };
    }

    private static string PartitionOf(HttpContext http) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers[ApiKeyMiddleware.HeaderName].ToString())));

    /// <summary>Reads <c>Api:RateLimit</c> once the options are bound and validated.</summary>
    public sealed class Setup(IOptions<ApiRateLimitOptions> options) : IConfigureOptions<RateLimiterOptions>
    {
        public void Configure(RateLimiterOptions limiter) => ApiKeyRateLimiter.Configure(limiter, options.Value);
    }
}
