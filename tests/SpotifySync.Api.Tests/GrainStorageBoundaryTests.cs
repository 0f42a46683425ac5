using System.Net;
using System.Net.Http.Json;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api.Tests;

/// <summary>
/// What PostgreSQL refuses reaches a grain's caller as our own <see cref="StorageRejectedException"/> (which crosses
/// from silo to client), never as the driver's exception; the grain keeps its previous state.
/// </summary>
[Collection(ApiStackCollection.Name)]
public sealed class GrainStorageBoundaryTests(ApiStack api)
{
    [Fact]
    public async Task A_value_postgresql_refuses_comes_back_as_StorageRejectedException_and_changes_nothing()
    {
        const string userId = "boundary-nul-scope";
        var user = api.Cluster.Spotify.AddUser(userId);

        // The API refuses a NUL in scope first; called directly, the grain must still answer with a type the API knows.
        var refused = await Assert.ThrowsAsync<StorageRejectedException>(() =>
            api.Cluster.User(userId).ConnectAsync(new SpotifyConnection(user.RefreshToken, Scope: "a\0b")));

        Assert.Equal("22021", refused.SqlState);
        Assert.True(refused.IsDataRefused);
        Assert.Equal(UserConnectionState.NotConnected, (await api.Cluster.User(userId).GetStatusAsync()).State);
        using var connect = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
            JsonContent.Create(new { refreshToken = user.RefreshToken, scope = "user-read-recently-played" })));
        Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
    }
}
