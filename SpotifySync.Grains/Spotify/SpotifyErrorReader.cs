using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SpotifySync.Grains.Spotify;

/// <summary>Turns Spotify's non-success answers into the exceptions the grains decide on.</summary>
internal static class SpotifyErrorReader
{
    private const int MaxBodyChars = 200;

    /// <summary>Retry-After as seconds or an HTTP date; null when missing or unusable (the coordinator picks a default).</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var retryAfter = headers.RetryAfter;
        if (retryAfter?.Delta is { } delta && delta >= TimeSpan.Zero)
        {
            return delta;
        }
        if (retryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>A short, token-free description of an error body: Spotify's JSON message, or a note that it was not JSON (edge HTML).</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = $"HTTP {(int)response.StatusCode}";
        if (string.IsNullOrWhiteSpace(body))
        {
            return status;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message))
                {
                    return $"{status}: {message.GetString()}";
                }
                if (error.ValueKind == JsonValueKind.String)
                {
                    var description = root.TryGetProperty("error_description", out var d) ? d.GetString() : null;
                    return $"{status}: {error.GetString()}{(description is null ? "" : $" ({description})")}";
                }
            }
        }
        catch (JsonException)
        {
            // Spotify's edge answers 502/503 with HTML: say so instead of echoing markup into logs.
        }
        return $"{status} (non-JSON body of {body.Length} chars)";
    }

    public static bool IsThrottled(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>
    /// A 429 that means the app's quota is spent, not that it went too fast: Spotify says <c>"reason": "QUOTA_EXCEEDED"</c>,
    /// or asks for a wait longer than the sync interval. Slowing down would not help, so the budget must not shrink.
    /// The body is buffered, so the caller can still read it.
    /// </summary>
    public static async Task<bool> IsQuotaExhaustedAsync(HttpResponseMessage response, TimeSpan interval, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (RetryAfterOf(response.Headers, now) is { } wait && wait > interval)
        {
            return true;
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return ReasonOf(await response.Content.ReadAsStringAsync(cancellationToken)) == QuotaExceededReason;
    }

    public const string QuotaExceededReason = "QUOTA_EXCEEDED";

    /// <summary>The exception for a 429, telling an exhausted quota (by its body) from a rate limit.</summary>
    public static async Task<SpotifyThrottledException> ThrottledAsync(HttpResponseMessage response, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new SpotifyThrottledException(RetryAfterOf(response.Headers, now), ReasonOf(body) == QuotaExceededReason);
    }

    /// <summary>The <c>error.reason</c> of a Web API error body, if any.</summary>
    public static string? ReasonOf(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
                ? reason.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Truncate(string text) => text.Length <= MaxBodyChars ? text : text[..MaxBodyChars] + "…";
}
