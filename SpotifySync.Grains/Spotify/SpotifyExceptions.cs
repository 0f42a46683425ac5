using System.Net;

namespace SpotifySync.Grains.Spotify;

/// <summary>Spotify answered something other than success. Messages never contain a token.</summary>
public class SpotifyException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;
}

/// <summary><c>invalid_grant</c>: the refresh token is revoked, expired or unknown. Spotify says: discard it, never retry.</summary>
public sealed class SpotifyRefreshTokenRejectedException(string description)
    : SpotifyException($"refresh token rejected by Spotify (invalid_grant: {description})", HttpStatusCode.BadRequest);

/// <summary><c>invalid_client</c>: our app credentials are wrong; a cluster-wide problem, not this user's.</summary>
public sealed class SpotifyClientRejectedException(string description)
    : SpotifyException($"Spotify rejected the app credentials (invalid_client: {description})", HttpStatusCode.BadRequest);

/// <summary>401 on the Web API: the access token expired early or was revoked.</summary>
public sealed class SpotifyAccessTokenRejectedException(string description)
    : SpotifyException($"access token rejected by Spotify (401: {description})", HttpStatusCode.Unauthorized);

/// <summary>
/// 429: the app went over Spotify's rolling rate limit, or (<see cref="QuotaExceeded"/>) spent its quota.
/// <see cref="RetryAfter"/> is null when unusable.
/// </summary>
public sealed class SpotifyThrottledException(TimeSpan? retryAfter, bool quotaExceeded = false)
    : SpotifyException(
        $"{(quotaExceeded ? "Spotify quota exceeded" : "throttled by Spotify")} (429, Retry-After {(retryAfter is { } r ? $"{r.TotalSeconds:0}s" : "missing")})",
        HttpStatusCode.TooManyRequests)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Spotify said <c>"reason": "QUOTA_EXCEEDED"</c>: going slower would not help.</summary>
    public bool QuotaExceeded { get; } = quotaExceeded;
}

/// <summary>Spotify answered 2xx with a body we cannot use (malformed JSON or an unexpected shape).</summary>
public sealed class SpotifyResponseFormatException(string message, Exception? inner = null)
    : SpotifyException(message, null, inner);

/// <summary>
/// Spotify refused an authorization-code exchange: <see cref="Error"/> is its OAuth code (<c>invalid_grant</c> for a used,
/// expired or unknown code, a wrong redirect_uri or verifier; <c>invalid_client</c>; ...). Never contains the code.
/// </summary>
public sealed class SpotifyAuthorizationCodeRejectedException(string error, string description)
    : SpotifyException($"Spotify refused the authorization code ({error}{(description.Length > 0 ? ": " + description : "")})", HttpStatusCode.BadRequest)
{
    public string Error { get; } = error;

    public string Description { get; } = description;
}
