using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotifySync.SpotifyEmulator;
using EmulatorServer = SpotifySync.SpotifyEmulator.SpotifyEmulator;

namespace SpotifySync.IntegrationTests.Emulator;

/// <summary>
/// The emulator's model of Spotify's rate limit, over real HTTP. Its clock is a hand-moved one, so which calls
/// share a window and the Retry-After they get are exact, however slowly this machine answers.
/// </summary>
public sealed class RateLimitWindowTests : IAsyncLifetime
{
    private const string UserId = "rate-limited";

    private readonly ManualClock clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private EmulatorServer emulator = null!;
    private HttpClient http = null!;
    private string refreshToken = null!;

    private EmulatorFaults Faults => emulator.State.Faults;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync(new EmulatorSettings { TimeProvider = clock });
        http = new HttpClient { BaseAddress = emulator.BaseUrl };
        refreshToken = emulator.State.AddUser(UserId).RefreshToken;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    [Fact]
    public async Task The_window_admits_its_limit_then_answers_429_until_the_oldest_call_leaves_it()
    {
        Faults.WindowLimit = 5;
        Faults.WindowLength = TimeSpan.FromSeconds(2);

        var answers = new List<HttpResponseMessage>();
        for (var call = 0; call < 8; call++)
        {
            answers.Add(await RefreshAsync());
        }

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, a => Assert.Equal("2", RetryAfter(a)));
        var error = await ErrorOfAsync(refused[0]);
        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.False(error.TryGetProperty("reason", out _), "no reason was configured");

        Assert.Equal(3, Faults.WindowRefusals);
        Assert.Equal(5, Faults.WindowCount);
        Assert.Equal(5, Faults.MaxWindowCount);
        Assert.Equal(3, emulator.State.Requests.Count(r => r.StatusCode == 429));

        // Half a second short of the window's end: still full, and the wait is rounded up to a whole second.
        clock.Advance(TimeSpan.FromSeconds(1.5));
        var early = await RefreshAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
        Assert.Equal("1", RetryAfter(early));

        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0, Faults.WindowCount);
        for (var call = 0; call < 5; call++)
        {
            Assert.Equal(HttpStatusCode.OK, (await RefreshAsync()).StatusCode);
        }
        Assert.Equal(4, Faults.WindowRefusals);
    }

    [Fact]
    public async Task The_window_rolls_call_by_call_and_counts_token_and_web_api_calls_together()
    {
        Faults.WindowLimit = 3;
        Faults.WindowLength = TimeSpan.FromSeconds(10);
        var accessToken = await AccessTokenAsync();             // t = 0
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await RecentlyPlayedAsync(accessToken)).StatusCode);   // t = 4
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await RecentlyPlayedAsync(accessToken)).StatusCode);   // t = 8

        var refused = await RecentlyPlayedAsync(accessToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("2", RetryAfter(refused));

        // At t = 10 only the token call has left: one call fits, and the next waits for the t = 4 call.
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await RecentlyPlayedAsync(accessToken)).StatusCode);
        var next = await RecentlyPlayedAsync(accessToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
        Assert.Equal("4", RetryAfter(next));
        Assert.Equal(3, Faults.MaxWindowCount);
    }

    [Fact]
    public async Task Lowering_the_limit_below_the_calls_counted_waits_for_as_many_as_must_leave()
    {
        Faults.WindowLength = TimeSpan.FromSeconds(10);
        for (var second = 0; second < 4; second++)
        {
            // Counted with no limit set: Spotify counts every call, limited or not.
            Assert.Equal(HttpStatusCode.OK, (await RefreshAsync()).StatusCode);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        // t = 4, calls at 0, 1, 2, 3: with a limit of 2 the calls at 0, 1 and 2 must leave (at t = 12).
        Faults.WindowLimit = 2;
        var refused = await RefreshAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("8", RetryAfter(refused));
        Assert.Equal(4, Faults.MaxWindowCount);
    }

    [Fact]
    public async Task Concurrent_calls_get_exactly_the_limit_through()
    {
        Faults.WindowLimit = 20;
        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => RefreshAsync()));

        Assert.Equal(20, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(40, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests), a => Assert.Equal("30", RetryAfter(a)));
        Assert.Equal(40, Faults.WindowRefusals);
        Assert.Equal(20, Faults.MaxWindowCount);
    }

    [Fact]
    public async Task The_control_api_sets_the_window_and_its_reason_shows_the_counters_and_resets_it_all()
    {
        var accessToken = await AccessTokenAsync();
        clock.Advance(TimeSpan.FromSeconds(60));   // the token call leaves the default 30 s window

        var set = await http.PostAsJsonAsync("_emulator/faults", new { windowLimit = 1, windowSeconds = 20, windowReason = "QUOTA_EXCEEDED", latencyJitterMs = 5 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await RecentlyPlayedAsync(accessToken)).StatusCode);
        var refused = await RecentlyPlayedAsync(accessToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("20", RetryAfter(refused));
        var error = await ErrorOfAsync(refused);
        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.Equal("API rate limit exceeded", error.GetProperty("message").GetString());
        Assert.Equal("QUOTA_EXCEEDED", error.GetProperty("reason").GetString());

        var view = await FaultsViewAsync();
        Assert.Equal(1, view.GetProperty("windowLimit").GetInt32());
        Assert.Equal(20, view.GetProperty("windowSeconds").GetDouble());
        Assert.Equal("QUOTA_EXCEEDED", view.GetProperty("windowReason").GetString());
        Assert.Equal(1, view.GetProperty("windowCount").GetInt32());
        Assert.Equal(1, view.GetProperty("maxWindowCount").GetInt32());
        Assert.Equal(1, view.GetProperty("windowRefusals").GetInt64());
        Assert.Equal(5, view.GetProperty("latencyJitterMs").GetInt32());

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("_emulator/faults", new { windowLimit = -1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("_emulator/faults", new { windowSeconds = 0 })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("_emulator/faults")).StatusCode);
        view = await FaultsViewAsync();
        Assert.Equal(JsonValueKind.Null, view.GetProperty("windowLimit").ValueKind);
        Assert.Equal(30, view.GetProperty("windowSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("windowReason").ValueKind);
        Assert.Equal(0, view.GetProperty("windowRefusals").GetInt64());
        Assert.Equal(0, view.GetProperty("latencyJitterMs").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await RecentlyPlayedAsync(accessToken)).StatusCode);
    }

    [Fact]
    public async Task A_window_limit_of_zero_from_the_control_api_turns_it_off()
    {
        Faults.WindowLimit = 1;
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RefreshAsync()).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("_emulator/faults", new { windowLimit = 0 })).StatusCode);

        Assert.Null(Faults.WindowLimit);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync()).StatusCode);
    }

    [Fact]
    public async Task A_throttle_fault_can_carry_a_reason_and_the_token_endpoint_answers_in_the_web_api_error_shape()
    {
        Faults.ThrottleFor(TimeSpan.FromSeconds(10), 7, ThrottleScope.TokenEndpoint, "QUOTA_EXCEEDED");

        var refused = await RefreshAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("7", RetryAfter(refused));
        var error = await ErrorOfAsync(refused);
        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.Equal("QUOTA_EXCEEDED", error.GetProperty("reason").GetString());
        Assert.Equal("QUOTA_EXCEEDED", (await FaultsViewAsync()).GetProperty("throttleReason").GetString());
        // The window never saw it: a throttled call is neither counted nor one of the window's refusals.
        Assert.Equal(0, Faults.WindowCount);
        Assert.Equal(0, Faults.WindowRefusals);

        // The old call shape still throttles without a reason.
        Faults.ThrottleFor(TimeSpan.FromSeconds(10), 7);
        var plain = await RefreshAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, plain.StatusCode);
        Assert.False((await ErrorOfAsync(plain)).TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task A_throttle_fault_for_one_user_refuses_only_that_users_calls()
    {
        var otherRefreshToken = emulator.State.AddUser("not-throttled").RefreshToken;
        var accessToken = await AccessTokenAsync();
        Faults.ThrottleFor(TimeSpan.FromSeconds(10), 7, userId: UserId);

        Assert.Equal(UserId, Faults.ThrottledUser);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RefreshAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RecentlyPlayedAsync(accessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(otherRefreshToken)).StatusCode);

        Faults.Reset();
        Assert.Null(Faults.ThrottledUser);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync()).StatusCode);
    }

    [Fact]
    public async Task Latency_jitter_adds_to_the_fixed_latency()
    {
        Faults.Latency = TimeSpan.FromMilliseconds(100);
        Faults.LatencyJitter = TimeSpan.FromMilliseconds(100);

        // Only the lower bound is safe to assert on a busy machine; the spread is not.
        for (var call = 0; call < 3; call++)
        {
            var started = TimeProvider.System.GetTimestamp();
            Assert.Equal(HttpStatusCode.OK, (await RefreshAsync()).StatusCode);
            Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(95));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Faults.LatencyJitter = TimeSpan.FromMilliseconds(-1));
    }

    private static string? RetryAfter(HttpResponseMessage answer) =>
        answer.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;

    private static async Task<JsonElement> ErrorOfAsync(HttpResponseMessage answer)
    {
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").Clone();
    }

    private async Task<JsonElement> FaultsViewAsync()
    {
        using var body = JsonDocument.Parse(await http.GetStringAsync("_emulator/faults"));
        return body.RootElement.Clone();
    }

    private Task<HttpResponseMessage> RefreshAsync(string? token = null) =>
        http.PostAsync("api/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = token ?? refreshToken,
            ["client_id"] = emulator.State.Settings.ClientId,
            ["client_secret"] = emulator.State.Settings.ClientSecret,
        }));

    private async Task<string> AccessTokenAsync()
    {
        var answer = await RefreshAsync();
        answer.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private Task<HttpResponseMessage> RecentlyPlayedAsync(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "v1/me/player/recently-played?limit=50");
        request.Headers.Authorization = new("Bearer", accessToken);
        return http.SendAsync(request);
    }

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private long utcTicks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref utcTicks, by.Ticks);
    }
}
