using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SpotifySync.SpotifyEmulator;

/// <summary>Writes a body with an exact status and content type, bypassing MVC/minimal-API result conventions.</summary>
internal static class JsonResponse
{
    public const string WebApiContentType = "application/json; charset=utf-8";
    public const string AccountsContentType = "application/json";

    public static async Task WriteAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo, string contentType = WebApiContentType)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    /// <param name="reason">Spotify's machine-readable cause, e.g. <c>QUOTA_EXCEEDED</c>; null leaves the key out.</param>
    public static Task WebApiErrorAsync(HttpContext context, int statusCode, string message, string? reason = null) =>
        WriteAsync(context, statusCode, new WebApiErrorJson(new WebApiErrorJson.Detail(statusCode, message, reason)), SpotifyJsonContext.Default.WebApiErrorJson);

    /// <summary>The accounts service answers every OAuth error with 400 and a flat body.</summary>
    public static Task OAuthErrorAsync(HttpContext context, string error, string description) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, new OAuthErrorJson(error, description), SpotifyJsonContext.Default.OAuthErrorJson, AccountsContentType);
}
