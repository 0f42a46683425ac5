using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Testing;

namespace SpotifySync.Api.Tests;

[Collection(ApiStackCollection.Name)]
public sealed class ApiReliabilityTests(ApiStack api) : IDisposable
{
    private const string ProblemJson = "application/problem+json";

    public void Dispose() => api.Cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task Wait_true_answers_with_the_sync_that_started_after_the_request_not_the_one_already_running()
    {
        const string userId = "api-wait-ticket";
        await ConnectAndSyncAsync(userId);

        // Slow Spotify: a sync takes over a second; one is running when the app presses the button.
        api.Cluster.Spotify.Faults.Latency = TimeSpan.FromSeconds(1.5);
        await api.Cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
        await Poll.UntilAsync(() => api.Cluster.Coordinator.GetPositionAsync(userId), p => p == 0, TimeSpan.FromSeconds(10), "the first sync to run");
        var requestedAt = DateTimeOffset.UtcNow;

        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync?wait=true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("succeeded", body.RootElement.GetProperty("outcome").GetString());
        var status = body.RootElement.GetProperty("status");
        Assert.True(status.GetProperty("lastSyncStartedAt").GetDateTimeOffset() >= requestedAt,
            $"reported a sync started at {status.GetProperty("lastSyncStartedAt")}, before the request at {requestedAt:O}");
        Assert.Equal(body.RootElement.GetProperty("syncId").GetGuid(), status.GetProperty("lastSyncId").GetGuid());
    }

    [Fact]
    public async Task With_PostgreSQL_down_connect_and_disconnect_answer_503_problem_json_with_retry_after_and_work_once_it_is_back()
    {
        const string userId = "api-pg-down";
        var refreshToken = await ConnectAndSyncAsync(userId);

        await api.Cluster.Postgres.StopAsync();
        try
        {
            foreach (var request in new[]
            {
                api.Request(HttpMethod.Put, $"api/users/{userId}/spotify", JsonContent.Create(new { refreshToken })),
                api.Request(HttpMethod.Put, "api/users/api-pg-down-new/spotify", JsonContent.Create(new { refreshToken = "some-refresh-token" })),
                api.Request(HttpMethod.Delete, $"api/users/{userId}/spotify"),
            })
            {
                using var response = await api.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter);
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Contains("PostgreSQL", problem.RootElement.GetProperty("detail").GetString());
            }
        }
        finally
        {
            await api.Cluster.Postgres.StartAgainAsync();
            api.Cluster.DataSource.Clear();
        }

        // The app retries its disconnect: it takes effect (it may already have, from the grain's own retry).
        await Poll.UntilAsync(async () =>
        {
            using var retry = await api.Http.SendAsync(api.Request(HttpMethod.Delete, $"api/users/{userId}/spotify"));
            return retry.StatusCode;
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the disconnect to succeed");
        Assert.Equal(("disconnected", (string?)null, (string?)null), await api.Cluster.Database.UserRowAsync(userId));
    }

    private async Task<string> ConnectAndSyncAsync(string userId)
    {
        var user = api.Cluster.Spotify.AddUser(userId);
        var connectedAt = DateTimeOffset.UtcNow;
        using var connect = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
            JsonContent.Create(new { refreshToken = user.RefreshToken })));
        Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
        await api.Cluster.WaitForOutcomeAfterAsync(userId, connectedAt, "succeeded");
        return user.RefreshToken;
    }
}
