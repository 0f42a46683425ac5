namespace SpotifySync.SpotifyEmulator;

/// <param name="UserId">Known even for an expired token, so the request log can attribute it.</param>
internal sealed record AccessTokenCheck(AccessTokenStatus Status, string? UserId);
