namespace SpotifySync.SpotifyEmulator;

/// <summary><c>GET /v1/me</c>.</summary>
internal sealed class CurrentUserEndpoint(EmulatorState state)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (await BearerToken.AuthenticateAsync(context, state) is not { } userId)
        {
            return;
        }

        var profile = new UserProfileJson(
            Country: "SE",
            DisplayName: $"Emulated {userId}",
            Email: $"{userId}@users.emulator.invalid",
            ExternalUrls: new ExternalUrlsJson($"https://open.spotify.com/user/{userId}"),
            Followers: new FollowersJson(null, 0),
            Href: $"https://api.spotify.com/v1/users/{userId}",
            Id: userId,
            Images: [],
            Product: "premium",
            Type: "user",
            Uri: $"spotify:user:{userId}");
        await JsonResponse.WriteAsync(context, StatusCodes.Status200OK, profile, SpotifyJsonContext.Default.UserProfileJson);
    }
}
