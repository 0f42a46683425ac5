using Npgsql;

namespace SpotifySync.Testing;

/// <summary>The queries the tests ask of the real database.</summary>
public sealed class ListeningDatabase(NpgsqlDataSource dataSource)
{
    /// <summary>design.md's duplicate query: must always return no rows.</summary>
    public const string DuplicateQuery =
        "SELECT user_id, artist_id, track_id, played_at, COUNT(*) FROM listening_data GROUP BY 1,2,3,4 HAVING COUNT(*) > 1";

    public async Task<int> DuplicateRowGroupsAsync()
    {
        await using var command = dataSource.CreateCommand(DuplicateQuery);
        await using var reader = await command.ExecuteReaderAsync();
        var groups = 0;
        while (await reader.ReadAsync())
        {
            groups++;
        }
        return groups;
    }

    /// <summary>(track_id, played_at) of every stored play of a user.</summary>
    public async Task<HashSet<(string TrackId, DateTimeOffset PlayedAt)>> PlayKeysAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("SELECT track_id, played_at FROM listening_data WHERE user_id = @u");
        command.Parameters.AddWithValue("u", userId);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new HashSet<(string, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            keys.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }
        return keys;
    }

    public async Task<long> CountAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM listening_data WHERE user_id = @u");
        command.Parameters.AddWithValue("u", userId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<(string State, string? RefreshToken, string? AccessToken)> UserRowAsync(string userId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT state, refresh_token_encrypted, access_token_encrypted FROM spotify_users WHERE user_id = @u");
        command.Parameters.AddWithValue("u", userId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"no spotify_users row for {userId}");
        }
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
