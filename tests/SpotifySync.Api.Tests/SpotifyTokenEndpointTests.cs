using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SpotifySync.SpotifyEmulator;
using SpotifySync.Testing;

namespace SpotifySync.Api.Tests;

/// <summary>The token broker and the code exchange over real HTTP: the API, the two-silo cluster, the emulator as Spotify.</summary>
[Collection(ApiStackCollection.Name)]
public sealed class SpotifyTokenEndpointTests(ApiStack api) : IDisposable
{
    private const string ProblemJson = "application/problem+json";
    private const string RedirectUri = "https://app.example/spotify/callback";
    private const string TokenPath = "/api/token";

    public void Dispose() => api.Cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task The_broker_hands_out_a_token_Spotify_accepts_and_refreshes_only_once_within_its_life()
    {
        const string userId = "broker-fresh";
        var user = api.Cluster.Spotify.AddUser(userId);
        await ConnectAsync(userId, new { refreshToken = user.RefreshToken });

        var first = await AccessTokenAsync(userId);
        var second = await AccessTokenAsync(userId);
        (await Send(HttpMethod.Post, $"api/users/{userId}/sync?wait=true")).EnsureSuccessStatusCode();

        Assert.Equal(first.AccessToken, second.AccessToken);
        Assert.True(first.ExpiresAt - DateTimeOffset.UtcNow >= TimeSpan.FromMinutes(5));
        Assert.Equal(TokenEndpointTests.Scope, first.Scope);
        Assert.Equal(HttpStatusCode.OK, await RecentlyPlayedStatusAsync(first.AccessToken));
        // The connect's first sync and the broker needed a token at about the same time: one refresh served both.
        Assert.Single(TokenRequestsOf(userId));
    }

    [Fact]
    public async Task A_token_with_less_than_five_minutes_left_is_refreshed_and_the_rotated_refresh_token_is_stored()
    {
        const string userId = "broker-near-expiry";
        var user = api.Cluster.Spotify.AddUser(userId);
        var nearExpiry = await MintAccessTokenAsync(user.RefreshToken);
        api.Cluster.Spotify.SetRotation(userId, true);
        var handedOver = user.RefreshToken;
        var since = DateTimeOffset.UtcNow;
        await ConnectAsync(userId, new { refreshToken = handedOver, accessToken = nearExpiry, expiresAt = DateTimeOffset.UtcNow.AddMinutes(4) });

        var token = await AccessTokenAsync(userId);
        var again = await AccessTokenAsync(userId);

        Assert.NotEqual(nearExpiry, token.AccessToken);
        Assert.Equal(token.AccessToken, again.AccessToken);
        Assert.True(token.ExpiresAt - DateTimeOffset.UtcNow > TimeSpan.FromMinutes(50));
        Assert.Equal(HttpStatusCode.OK, await RecentlyPlayedStatusAsync(token.AccessToken));
        var rotated = api.Cluster.Spotify.GetUser(userId).RefreshToken;
        Assert.NotEqual(handedOver, rotated);
        Assert.Equal(rotated, await api.Cluster.StoredRefreshTokenAsync(userId));
        // Whoever refreshed first (the broker or the connect's sync), the other used its result: one refresh, with the
        // token the app handed over, and the user still syncs with what is stored.
        using var sync = await Send(HttpMethod.Post, $"api/users/{userId}/sync?wait=true");
        using var outcome = JsonDocument.Parse(await sync.Content.ReadAsStringAsync());
        Assert.Equal("succeeded", outcome.RootElement.GetProperty("outcome").GetString());
        var refresh = Assert.Single(TokenRequestsOf(userId, since));
        Assert.Equal(handedOver, refresh.RefreshTokenUsed);
    }

    [Fact]
    public async Task An_unknown_user_gets_404_and_a_disconnected_one_409()
    {
        using var unknown = await Send(HttpMethod.Get, "api/users/broker-never-connected/spotify/access-token");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(ProblemJson, unknown.Content.Headers.ContentType?.MediaType);

        const string userId = "broker-disconnected";
        var user = api.Cluster.Spotify.AddUser(userId);
        await ConnectAsync(userId, new { refreshToken = user.RefreshToken });
        (await Send(HttpMethod.Delete, $"api/users/{userId}/spotify")).EnsureSuccessStatusCode();
        using var disconnected = await Send(HttpMethod.Get, $"api/users/{userId}/spotify/access-token");

        Assert.Equal(HttpStatusCode.Conflict, disconnected.StatusCode);
        Assert.Equal(ProblemJson, disconnected.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_refresh_token_ends_in_409_quarantined_then_must_reconnect_with_the_tokens_erased()
    {
        const string userId = "broker-revoked";
        var user = api.Cluster.Spotify.AddUser(userId);
        api.Cluster.Spotify.RevokeRefreshToken(userId);
        await ConnectAsync(userId, new { refreshToken = user.RefreshToken });

        // The connect's first sync may meet the refusal while the broker waits for its refresh: "try later" then, never a token.
        var response = await Poll.UntilAsync(() => Send(HttpMethod.Get, $"api/users/{userId}/spotify/access-token"),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20), "an answer other than 503");

        // Quarantined first (kept, never used), then erased when the storm window (3 s here) closes without a storm.
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        await Poll.UntilAsync(() => api.Cluster.Database.UserRowAsync(userId), row => row.Item1 == "needs_reconnect",
            TimeSpan.FromSeconds(30), "the refused user's tokens to be erased once the window closed without a storm");
        var (state, refreshToken, accessToken) = await api.Cluster.Database.UserRowAsync(userId);
        Assert.Equal(("needs_reconnect", null, null), (state, refreshToken, accessToken));
        using var again = await Send(HttpMethod.Get, $"api/users/{userId}/spotify/access-token");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("must reconnect", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_throttled_refresh_answers_503_with_retry_after_and_the_token_comes_once_the_pause_ends()
    {
        const string userId = "broker-throttled";
        var user = api.Cluster.Spotify.AddUser(userId);
        api.Cluster.Spotify.Faults.ThrottleFor(TimeSpan.FromSeconds(3), retryAfterSeconds: 3, ThrottleScope.TokenEndpoint);
        await ConnectAsync(userId, new { refreshToken = user.RefreshToken });

        using var throttled = await Send(HttpMethod.Get, $"api/users/{userId}/spotify/access-token");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, throttled.StatusCode);
        Assert.Equal(ProblemJson, throttled.Content.Headers.ContentType?.MediaType);
        var retryAfter = throttled.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        Assert.DoesNotContain(user.RefreshToken, await throttled.Content.ReadAsStringAsync());

        var token = await Poll.UntilAsync(() => TryAccessTokenAsync(userId), t => t is not null, TimeSpan.FromSeconds(30), "a token after the pause");
        Assert.Equal(HttpStatusCode.OK, await RecentlyPlayedStatusAsync(token!.AccessToken));
    }

    [Fact]
    public async Task A_code_exchange_connects_the_user_whose_plays_then_arrive_and_the_code_cannot_be_used_again()
    {
        const string userId = "code-connect";
        var original = api.Cluster.Spotify.AddUser(userId).RefreshToken;
        var code = await IssueCodeAsync(userId, new { redirectUri = RedirectUri });

        using var connect = await Send(HttpMethod.Post, $"api/users/{userId}/spotify/authorization-code",
            JsonContent.Create(new { code, redirectUri = RedirectUri }));
        Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
        using (var status = JsonDocument.Parse(await connect.Content.ReadAsStringAsync()))
        {
            Assert.Equal("active", status.RootElement.GetProperty("state").GetString());
        }

        using var sync = await Send(HttpMethod.Post, $"api/users/{userId}/sync?wait=true");
        using (var outcome = JsonDocument.Parse(await sync.Content.ReadAsStringAsync()))
        {
            Assert.Equal("succeeded", outcome.RootElement.GetProperty("outcome").GetString());
        }
        Assert.Equal(api.Cluster.Spotify.PlaysOf(userId).Count, await api.Cluster.Database.CountAsync(userId));
        // The refresh token came from Spotify to SpotifySync directly.
        var issued = api.Cluster.Spotify.GetUser(userId).RefreshToken;
        Assert.NotEqual(original, issued);
        Assert.Equal(issued, await api.Cluster.StoredRefreshTokenAsync(userId));

        using var reused = await Send(HttpMethod.Post, $"api/users/{userId}/spotify/authorization-code",
            JsonContent.Create(new { code, redirectUri = RedirectUri }));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal(ProblemJson, reused.Content.Headers.ContentType?.MediaType);
        var problem = await reused.Content.ReadAsStringAsync();
        Assert.Contains("invalid_grant", problem);
        Assert.DoesNotContain(code, problem);
    }

    [Fact]
    public async Task A_pkce_code_is_exchanged_with_its_verifier_and_a_wrong_verifier_gets_400_invalid_grant()
    {
        const string userId = "code-pkce";
        api.Cluster.Spotify.AddUser(userId);
        var verifier = Verifier();
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var wrong = await IssueCodeAsync(userId, new { redirectUri = RedirectUri, codeChallenge = challenge, codeChallengeMethod = "S256" });
        var good = await IssueCodeAsync(userId, new { redirectUri = RedirectUri, codeChallenge = challenge, codeChallengeMethod = "S256" });

        using var refused = await Send(HttpMethod.Post, $"api/users/{userId}/spotify/authorization-code",
            JsonContent.Create(new { code = wrong, redirectUri = RedirectUri, codeVerifier = Verifier() }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("invalid_grant", await refused.Content.ReadAsStringAsync());
        using var connect = await Send(HttpMethod.Post, $"api/users/{userId}/spotify/authorization-code",
            JsonContent.Create(new { code = good, redirectUri = RedirectUri, codeVerifier = verifier }));

        Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
        var token = await AccessTokenAsync(userId);
        Assert.Equal(HttpStatusCode.OK, await RecentlyPlayedStatusAsync(token.AccessToken));
    }

    [Theory]
    [InlineData("{\"redirectUri\":\"https://app.example/cb\"}", "code")]
    [InlineData("{\"code\":\"abc\"}", "redirectUri")]
    [InlineData("{\"code\":\"abc\",\"redirectUri\":\"not a uri\"}", "redirectUri")]
    [InlineData("{\"code\":\"ab\\u0000c\",\"redirectUri\":\"https://app.example/cb\"}", "code")]
    [InlineData("{\"code\":\"abc\",\"redirectUri\":\"https://app.example/cb\",\"codeVerifier\":\"short\"}", "codeVerifier")]
    public async Task An_invalid_authorization_code_request_gets_400_naming_the_field(string body, string field)
    {
        using var response = await Send(HttpMethod.Post, "api/users/code-invalid/spotify/authorization-code",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task The_openapi_document_lists_both_routes()
    {
        using var response = await api.Http.GetAsync("openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/users/{userId}/spotify/access-token").GetProperty("get").GetProperty("responses").TryGetProperty("503", out _));
        Assert.True(paths.GetProperty("/api/users/{userId}/spotify/authorization-code").TryGetProperty("post", out _));
    }

    private async Task ConnectAsync(string userId, object body) =>
        (await Send(HttpMethod.Put, $"api/users/{userId}/spotify", JsonContent.Create(body))).EnsureSuccessStatusCode();

    private async Task<BrokeredToken> AccessTokenAsync(string userId)
    {
        using var response = await Send(HttpMethod.Get, $"api/users/{userId}/spotify/access-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        return (await response.Content.ReadFromJsonAsync<BrokeredToken>())!;
    }

    private async Task<BrokeredToken?> TryAccessTokenAsync(string userId)
    {
        using var response = await Send(HttpMethod.Get, $"api/users/{userId}/spotify/access-token");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<BrokeredToken>() : null;
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, HttpContent? content = null) =>
        api.Http.SendAsync(api.Request(method, path, content));

    private List<EmulatorRequest> TokenRequestsOf(string userId, DateTimeOffset? since = null) =>
        [.. api.Cluster.Spotify.Requests.Where(r => r.UserId == userId && r.Path == TokenPath && r.ReceivedAt >= (since ?? DateTimeOffset.MinValue))];

    private async Task<HttpStatusCode> RecentlyPlayedStatusAsync(string accessToken)
    {
        using var http = new HttpClient { BaseAddress = api.Cluster.Emulator.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/me/player/recently-played");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> IssueCodeAsync(string userId, object body)
    {
        using var http = new HttpClient { BaseAddress = api.Cluster.Emulator.BaseUrl };
        using var response = await http.PostAsJsonAsync($"_emulator/users/{userId}/authorization-codes", body);
        response.EnsureSuccessStatusCode();
        using var issued = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return issued.RootElement.GetProperty("code").GetString()!;
    }

    /// <summary>What the app backend would hold right after the user signed in: an access token of its own.</summary>
    private async Task<string> MintAccessTokenAsync(string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = api.Cluster.Emulator.BaseUrl };
        var settings = api.Cluster.Spotify.Settings;
        using var response = await http.PostAsync("api/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = settings.ClientId,
            ["client_secret"] = settings.ClientSecret,
        }));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private static string Verifier() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    private sealed record BrokeredToken(string AccessToken, DateTimeOffset ExpiresAt, string? Scope);

    private static class TokenEndpointTests
    {
        /// <summary>The scope the emulator grants.</summary>
        public const string Scope = "user-read-recently-played user-read-email";
    }
}
