using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Security;

/// <summary>
/// A cluster after a key rotation: <c>Security:TokenEncryptionKeys</c> has a new current key "k2", and the old single
/// <c>Security:TokenEncryptionKey</c> (key id "default") is still configured for reading.
/// </summary>
public sealed class KeyRotationCluster() : SyncCluster(new Dictionary<string, string>
{
    ["Security:TokenEncryptionKeys:0:Id"] = NewKeyId,
    ["Security:TokenEncryptionKeys:0:Key"] = NewKey,
})
{
    public const string NewKeyId = "k2";
    public static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

public sealed class KeyRotationTests(KeyRotationCluster cluster) : IClassFixture<KeyRotationCluster>
{
    private TokenProtector OldKeyOnly => new(Options.Create(new SecurityOptions { TokenEncryptionKey = cluster.TokenEncryptionKey }));

    private static TokenProtector NewKeyOnly => new(Options.Create(new SecurityOptions
    {
        TokenEncryptionKeys = [new TokenEncryptionKeyOptions { Id = KeyRotationCluster.NewKeyId, Key = KeyRotationCluster.NewKey }],
    }));

    [Fact]
    public async Task Reencrypt_moves_a_filled_table_to_the_new_key_in_resumable_batches_and_every_user_still_syncs()
    {
        // Filled before the rotation: rows written with the old single key, without a key id (as before migration 10).
        var users = Enumerable.Range(1, 12).Select(i => $"rotate-{i:00}").ToArray();
        var store = new SpotifyUserStore(cluster.DataSource);
        var oldKey = OldKeyOnly;
        foreach (var userId in users)
        {
            var spotifyUser = cluster.Spotify.AddUser(userId);
            await store.SaveAsync(new SpotifyUserRecord
            {
                UserId = userId,
                State = SpotifyUserStates.Active,
                RefreshTokenEncrypted = oldKey.Protect(spotifyUser.RefreshToken, userId),
                AuthorizedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None);
        }
        // A grain holds its row in memory (version 1) while the re-encryption moves the row on under it.
        var heldByGrain = users[0];
        Assert.Equal(UserConnectionState.Active, (await cluster.User(heldByGrain).GetStatusAsync()).State);

        var reencryption = new TokenReencryption(cluster.DataSource, NewKeyOnlyWithDefault(), NullLogger<TokenReencryption>.Instance);
        var stopped = await reencryption.RunAsync(batchSize: 5, maxBatches: 1, CancellationToken.None);
        Assert.Equal(5, stopped.Moved);
        Assert.Equal(users.Length - 5, stopped.Remaining);
        var resumed = await reencryption.RunAsync(batchSize: 5, maxBatches: null, CancellationToken.None);
        Assert.Equal(users.Length - 5, resumed.Moved);
        Assert.Equal(0, resumed.Remaining);
        Assert.Equal(0, (await reencryption.RunAsync(batchSize: 5, maxBatches: null, CancellationToken.None)).Moved);

        foreach (var userId in users)
        {
            var (refresh, keyId) = await StoredAsync(userId);
            Assert.Equal(KeyRotationCluster.NewKeyId, keyId);
            Assert.StartsWith("k2:", refresh);
            Assert.Equal(cluster.Spotify.GetUser(userId).RefreshToken, NewKeyOnly.Unprotect(refresh, userId));
            Assert.ThrowsAny<CryptographicException>(() => oldKey.Unprotect(refresh, userId));
        }

        // Every user still syncs, the one whose grain held the older version included; its write stays on the new key.
        foreach (var userId in users)
        {
            var ticket = await cluster.User(userId).RequestSyncAsync(SyncTrigger.Manual);
            var status = await cluster.WaitForSyncAsync(userId, ticket!);
            Assert.Equal("succeeded", status.LastSyncOutcome);
        }
        foreach (var userId in users)
        {
            var (refresh, keyId) = await StoredAsync(userId);
            Assert.Equal(KeyRotationCluster.NewKeyId, keyId);
            Assert.Equal(cluster.Spotify.GetUser(userId).RefreshToken, NewKeyOnly.Unprotect(refresh, userId));
            Assert.Equal(cluster.Spotify.PlaysOf(userId).Count, await cluster.Database.CountAsync(userId));
        }
    }

    [Fact]
    public async Task A_user_connected_after_the_rotation_is_stored_with_the_new_key()
    {
        await cluster.ConnectSyncedUserAsync("rotate-new");

        var (refresh, keyId) = await StoredAsync("rotate-new");
        Assert.Equal(KeyRotationCluster.NewKeyId, keyId);
        Assert.Equal(cluster.Spotify.GetUser("rotate-new").RefreshToken, NewKeyOnly.Unprotect(refresh, "rotate-new"));
    }

    /// <summary>The silos' configuration: the new key current, the old one readable.</summary>
    private TokenProtector NewKeyOnlyWithDefault() => new(Options.Create(new SecurityOptions
    {
        TokenEncryptionKey = cluster.TokenEncryptionKey,
        TokenEncryptionKeys = [new TokenEncryptionKeyOptions { Id = KeyRotationCluster.NewKeyId, Key = KeyRotationCluster.NewKey }],
    }));

    private async Task<(string Refresh, string? KeyId)> StoredAsync(string userId)
    {
        await using var command = cluster.DataSource.CreateCommand(
            "SELECT refresh_token_encrypted, token_key_id FROM spotify_users WHERE user_id = @u");
        command.Parameters.AddWithValue("u", userId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
