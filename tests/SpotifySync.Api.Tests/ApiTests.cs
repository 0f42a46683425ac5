using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.Api.Tests;

[Collection(ApiStackCollection.Name)]
public sealed class ApiTests(ApiStack api)
{
    private const string ProblemJson = "application/problem+json";

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789")]
    public async Task A_request_without_a_known_key_gets_401_problem_json(string? key)
    {
        using var request = api.Request(HttpMethod.Get, "api/sync/status", withKey: false);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_connect_without_a_refresh_token_gets_400_problem_json_naming_the_field()
    {
        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, "api/users/api-bad-1/spotify",
            JsonContent.Create(new { accessToken = "abc" })));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty("refreshToken", out _));
    }

    [Fact]
    public async Task A_malformed_json_body_gets_400_problem_json_and_connects_nobody()
    {
        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, "api/users/api-bad-2/spotify",
            new StringContent("{ \"refreshToken\": ", Encoding.UTF8, "application/json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        using var status = await api.Http.SendAsync(api.Request(HttpMethod.Get, "api/users/api-bad-2/sync-status"));
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task A_good_connect_and_a_manual_sync_show_up_in_sync_status()
    {
        const string userId = "api-user-1";
        var user = api.Cluster.Spotify.AddUser(userId);

        using var connect = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
            JsonContent.Create(new { refreshToken = user.RefreshToken, scope = "user-read-recently-played" })));
        Assert.Equal(HttpStatusCode.OK, connect.StatusCode);

        using var sync = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync?wait=true"));
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        using var outcome = JsonDocument.Parse(await sync.Content.ReadAsStringAsync());
        Assert.Equal("succeeded", outcome.RootElement.GetProperty("outcome").GetString());

        using var statusResponse = await api.Http.SendAsync(api.Request(HttpMethod.Get, $"api/users/{userId}/sync-status"));
        Assert.Equal(HttpStatusCode.OK, statusResponse.StatusCode);
        using var status = JsonDocument.Parse(await statusResponse.Content.ReadAsStringAsync());
        var root = status.RootElement;
        Assert.Equal("active", root.GetProperty("state").GetString());
        Assert.Equal("succeeded", root.GetProperty("lastSyncOutcome").GetString());
        Assert.Equal(api.Cluster.Spotify.PlaysOf(userId).Count, root.GetProperty("totalTracks").GetInt64());
        Assert.Equal(JsonValueKind.String, root.GetProperty("nextScheduledSync").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("refreshTokenExpiresAt").ValueKind);
        Assert.DoesNotContain(user.RefreshToken, status.RootElement.GetRawText());
    }

    [Fact]
    public async Task A_manual_sync_without_wait_answers_202_with_the_queue_position()
    {
        const string userId = "api-user-2";
        var user = api.Cluster.Spotify.AddUser(userId);
        (await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
            JsonContent.Create(new { refreshToken = user.RefreshToken })))).EnsureSuccessStatusCode();

        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/users/{userId}/sync-status", response.Headers.Location?.OriginalString);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("queuePosition").GetInt32() >= 1);
    }

    [Fact]
    public async Task An_unknown_user_gets_404_problem_json()
    {
        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Post, "api/users/never-connected/sync"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_disconnected_user_keeps_its_plays_and_a_sync_request_gets_409()
    {
        const string userId = "api-user-3";
        var user = api.Cluster.Spotify.AddUser(userId);
        (await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
            JsonContent.Create(new { refreshToken = user.RefreshToken })))).EnsureSuccessStatusCode();
        (await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync?wait=true"))).EnsureSuccessStatusCode();
        var plays = await api.Cluster.Database.CountAsync(userId);

        using var disconnect = await api.Http.SendAsync(api.Request(HttpMethod.Delete, $"api/users/{userId}/spotify"));
        Assert.Equal(HttpStatusCode.OK, disconnect.StatusCode);
        using var sync = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync"));

        Assert.Equal(HttpStatusCode.Conflict, sync.StatusCode);
        Assert.Equal(ProblemJson, sync.Content.Headers.ContentType?.MediaType);
        Assert.True(plays > 0);
        Assert.Equal(plays, await api.Cluster.Database.CountAsync(userId));
        var (state, refreshToken, accessToken) = await api.Cluster.Database.UserRowAsync(userId);
        Assert.Equal(("disconnected", null, null), (state, refreshToken, accessToken));
    }

    [Fact]
    public async Task A_refused_user_is_quarantined_first_a_sync_request_gets_409_saying_so_and_sync_status_counts_it()
    {
        const string userId = "api-quarantined";
        var user = api.Cluster.Spotify.AddUser(userId);
        (await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
            JsonContent.Create(new { refreshToken = user.RefreshToken })))).EnsureSuccessStatusCode();
        (await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync?wait=true"))).EnsureSuccessStatusCode();

        api.Cluster.Spotify.RevokeRefreshToken(userId);
        api.Cluster.Spotify.ExpireAccessTokens(userId);
        // Through the grain: pressed again through the API within Api:ManualSyncCooldown, "Sync Data" would only
        // answer with the sync just made.
        var ticket = await api.Cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        var refused = await api.Cluster.WaitForSyncAsync(userId, ticket!);
        Assert.Equal("tokens_quarantined", refused.LastSyncOutcome);
        Assert.Equal(UserConnectionState.Quarantined, refused.State);

        // Within the storm window (3 s in the test cluster): the tokens are kept, and the app is told why no sync runs.
        using var sync = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync"));
        Assert.Equal(HttpStatusCode.Conflict, sync.StatusCode);
        Assert.Contains("invalid_grant storm", await sync.Content.ReadAsStringAsync());
        using var status = await api.Http.SendAsync(api.Request(HttpMethod.Get, "api/sync/status"));
        using var statusBody = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
        var storm = statusBody.RootElement.GetProperty("invalidGrantStorm");
        Assert.False(storm.GetProperty("active").GetBoolean());
        Assert.True(storm.GetProperty("quarantinedUsers").GetInt32() >= 1);
    }

    [Fact]
    public async Task Sync_all_answers_202_with_how_many_and_the_coordinator_status_reports_its_pace()
    {
        using var syncAll = await api.Http.SendAsync(api.Request(HttpMethod.Post, "api/spotify/sync-all-users"));
        Assert.Equal(HttpStatusCode.Accepted, syncAll.StatusCode);
        using var result = JsonDocument.Parse(await syncAll.Content.ReadAsStringAsync());
        Assert.True(result.RootElement.GetProperty("usersFound").GetInt32() >= 0);
        Assert.Equal(JsonValueKind.String, result.RootElement.GetProperty("estimatedFinish").ValueKind);

        using var status = await api.Http.SendAsync(api.Request(HttpMethod.Get, "api/sync/status"));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var body = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
        Assert.Equal(18000, body.RootElement.GetProperty("usersPerHour").GetDouble());
        Assert.True(body.RootElement.TryGetProperty("queueLength", out _));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route()
    {
        using var response = await api.Http.GetAsync("openapi/v1.json");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "/api/users/{userId}/spotify",
            "/api/users/{userId}/sync",
            "/api/users/{userId}/sync-status",
            "/api/spotify/sync-all-users",
            "/api/sync/status",
        }, paths);
    }

    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    [InlineData("metrics")]
    public async Task Probes_and_metrics_answer_without_a_key(string path)
    {
        using var response = await api.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_resolve_request_durations_around_the_20_ms_an_app_button_is_promised()
    {
        (await api.Http.GetAsync("api/sync/status")).Dispose();

        var exposition = await api.Http.GetStringAsync("metrics");

        var buckets = exposition.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)).ToList();
        Assert.Contains(buckets, l => l.Contains("le=\"0.015\"", StringComparison.Ordinal));
        Assert.Contains(buckets, l => l.Contains("le=\"0.02\"", StringComparison.Ordinal));
    }
}
