using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SpotifySync.Api.Tests;

/// <summary>"Sync Data" pressed again and again within <c>Api:ManualSyncCooldown</c> (1 minute here) reaches Spotify once.</summary>
[Collection(ApiStackCollection.Name)]
public sealed class ApiManualSyncCooldownTests(ApiStack api) : IDisposable
{
    public void Dispose() => api.Cluster.Spotify.Faults.Reset();

    [Fact]
    public async Task Presses_within_the_cooldown_answer_with_the_pending_sync_then_with_its_outcome()
    {
        const string userId = "api-cooldown";
        var user = api.Cluster.Spotify.AddUser(userId);
        var connectedAt = DateTimeOffset.UtcNow;
        (await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
            JsonContent.Create(new { refreshToken = user.RefreshToken })))).EnsureSuccessStatusCode();
        await api.Cluster.WaitForOutcomeAfterAsync(userId, connectedAt, "succeeded");
        api.Cluster.Spotify.Faults.Latency = TimeSpan.FromSeconds(1);

        using var first = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var syncId = (await BodyAsync(first)).GetProperty("syncId").GetGuid();

        using var again = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync"));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var pending = await BodyAsync(again);
        Assert.Equal(syncId, pending.GetProperty("syncId").GetGuid());
        Assert.True(pending.GetProperty("alreadyQueued").GetBoolean());

        using var waited = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync?wait=true"));
        Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        Assert.Equal(syncId, (await BodyAsync(waited)).GetProperty("syncId").GetGuid());

        using var afterwards = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{userId}/sync"));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        var outcome = await BodyAsync(afterwards);
        Assert.Equal(syncId, outcome.GetProperty("syncId").GetGuid());
        Assert.Equal("succeeded", outcome.GetProperty("outcome").GetString());

        using var status = await api.Http.SendAsync(api.Request(HttpMethod.Get, $"api/users/{userId}/sync-status"));
        var body = await BodyAsync(status);
        Assert.Equal(syncId, body.GetProperty("lastSyncId").GetGuid());
        Assert.Equal(2, body.GetProperty("totalSyncs").GetInt64());
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
