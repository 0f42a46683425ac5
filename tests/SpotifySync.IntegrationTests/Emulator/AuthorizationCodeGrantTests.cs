using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SpotifySync.SpotifyEmulator;
using EmulatorServer = SpotifySync.SpotifyEmulator.SpotifyEmulator;

namespace SpotifySync.IntegrationTests.Emulator;

/// <summary>The emulator's authorization-code grant over real HTTP: codes issued by the control API, redeemed at /api/token.</summary>
public sealed class AuthorizationCodeGrantTests : IAsyncLifetime
{
    private const string UserId = "signing-in";
    private const string RedirectUri = "https://app.example/callback";

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private EmulatorServer emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync(new EmulatorSettings { TimeProvider = clock });
        http = new HttpClient { BaseAddress = emulator.BaseUrl };
        emulator.State.AddUser(UserId);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_code_is_exchanged_once_for_tokens_shaped_like_Spotifys_and_then_refused_as_invalid_grant()
    {
        var code = await IssueCodeAsync(new { redirectUri = RedirectUri });

        using var first = await ExchangeAsync(code, RedirectUri);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var tokens = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var root = tokens.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(3600, root.GetProperty("expires_in").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("scope").GetString()));
        var refreshToken = root.GetProperty("refresh_token").GetString();
        Assert.Equal(emulator.State.GetUser(UserId).RefreshToken, refreshToken);
        using var plays = new HttpRequestMessage(HttpMethod.Get, "v1/me/player/recently-played");
        plays.Headers.Authorization = new AuthenticationHeaderValue("Bearer", root.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(plays)).StatusCode);

        using var again = await ExchangeAsync(code, RedirectUri);
        await AssertInvalidGrantAsync(again);
    }

    [Fact]
    public async Task An_expired_code_a_wrong_redirect_uri_and_an_unknown_code_get_invalid_grant()
    {
        var expiring = await IssueCodeAsync(new { redirectUri = RedirectUri, lifetimeSeconds = 30 });
        var misdirected = await IssueCodeAsync(new { redirectUri = RedirectUri });
        clock.Advance(TimeSpan.FromSeconds(31));

        await AssertInvalidGrantAsync(await ExchangeAsync(expiring, RedirectUri));
        await AssertInvalidGrantAsync(await ExchangeAsync(misdirected, "https://elsewhere.example/callback"));
        await AssertInvalidGrantAsync(await ExchangeAsync("AQnot-a-code", RedirectUri));
    }

    [Fact]
    public async Task A_pkce_code_needs_the_verifier_of_its_challenge_and_no_secret()
    {
        var verifier = Verifier();
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var good = await IssueCodeAsync(new { redirectUri = RedirectUri, codeChallenge = challenge, codeChallengeMethod = "S256" });
        var wronglyVerified = await IssueCodeAsync(new { redirectUri = RedirectUri, codeChallenge = challenge, codeChallengeMethod = "S256" });

        await AssertInvalidGrantAsync(await ExchangeAsync(wronglyVerified, RedirectUri, Verifier()));
        using var exchanged = await ExchangeAsync(good, RedirectUri, verifier);

        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        using var tokens = JsonDocument.Parse(await exchanged.Content.ReadAsStringAsync());
        Assert.Equal(emulator.State.GetUser(UserId).RefreshToken, tokens.RootElement.GetProperty("refresh_token").GetString());
    }

    private async Task<string> IssueCodeAsync(object body)
    {
        using var response = await http.PostAsJsonAsync($"_emulator/users/{UserId}/authorization-codes", body);
        response.EnsureSuccessStatusCode();
        using var issued = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return issued.RootElement.GetProperty("code").GetString()!;
    }

    /// <summary>Client credentials in the Basic header, or PKCE (client id and verifier in the form, no secret).</summary>
    private Task<HttpResponseMessage> ExchangeAsync(string code, string redirectUri, string? verifier = null)
    {
        var settings = emulator.State.Settings;
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri };
        var request = new HttpRequestMessage(HttpMethod.Post, "api/token");
        if (verifier is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}")));
        }
        else
        {
            form["client_id"] = settings.ClientId;
            form["code_verifier"] = verifier;
        }
        request.Content = new FormUrlEncodedContent(form);
        return http.SendAsync(request);
    }

    private static async Task AssertInvalidGrantAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("invalid_grant", error.RootElement.GetProperty("error").GetString());
        }
    }

    private static string Verifier() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
}
