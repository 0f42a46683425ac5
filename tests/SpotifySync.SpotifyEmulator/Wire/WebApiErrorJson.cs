using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>The Web API's nested error: <c>{"error":{"status":401,"message":"..."}}</c>, with a <c>reason</c>
/// (e.g. <c>"QUOTA_EXCEEDED"</c>) after the message on the errors that carry one.</summary>
internal sealed record WebApiErrorJson(WebApiErrorJson.Detail Error)
{
    // The context writes nulls because Spotify does elsewhere; an error without a reason has no reason key at all.
    internal sealed record Detail(
        int Status,
        string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);
}
