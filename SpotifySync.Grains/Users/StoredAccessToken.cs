namespace SpotifySync.Grains.Users;

/// <summary>A decrypted access token with its expiry and scope (never logged: see <see cref="ToString"/>).</summary>
public sealed record StoredAccessToken(string AccessToken, DateTimeOffset ExpiresAt, string? Scope)
{
    public override string ToString() => $"StoredAccessToken {{ ExpiresAt = {ExpiresAt:O} }}";
}
