namespace SpotifySync.SpotifyEmulator;

/// <summary>The Web API's nested error: <c>{"error":{"status":401,"message":"..."}}</c>.</summary>
internal sealed record WebApiErrorJson(WebApiErrorJson.Detail Error)
{
    internal sealed record Detail(int Status, string Message);
}
