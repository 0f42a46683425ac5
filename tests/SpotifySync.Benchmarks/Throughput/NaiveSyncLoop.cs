using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using SpotifySync.SpotifyEmulator;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// The original service's loop, the peer SpotifySync is compared with: for one user after another, refresh the
/// access token, read the 50 most recent plays, and insert each play with its own
/// <c>INSERT ... ON CONFLICT DO NOTHING</c> (autocommit, as a naive service would), into a table of its own.
/// </summary>
internal sealed class NaiveSyncLoop(HttpClient http, NpgsqlDataSource dataSource, EmulatorSettings app)
{
    public const string Table = "peer_listening_data";

    public Task CreateTableAsync(CancellationToken ct) => ExecuteAsync($"""
        CREATE TABLE IF NOT EXISTS {Table} (
            user_id     text        NOT NULL,
            artist_id   text        NOT NULL,
            track_id    text        NOT NULL,
            played_at   timestamptz NOT NULL,
            track_name  text        NOT NULL,
            artist_name text        NOT NULL,
            album_id    text,
            album_name  text,
            duration_ms integer     NOT NULL,
            context_uri text,
            UNIQUE (user_id, artist_id, track_id, played_at))
        """, ct);

    /// <summary>One user's sync; returns the rows inserted.</summary>
    public async Task<int> SyncAsync(string userId, string refreshToken, CancellationToken ct)
    {
        var accessToken = await RefreshAsync(refreshToken, ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/me/player/recently-played?limit=50");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var inserted = 0;
        foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
        {
            inserted += await InsertPlayAsync(userId, item, ct);
        }
        return inserted;
    }

    private async Task<string> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.ClientSecret}")));
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return token.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<int> InsertPlayAsync(string userId, JsonElement item, CancellationToken ct)
    {
        var track = item.GetProperty("track");
        var artist = track.GetProperty("artists")[0];
        var album = track.GetProperty("album");
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {Table} (user_id, artist_id, track_id, played_at, track_name, artist_name, album_id, album_name, duration_ms, context_uri)
            VALUES (@user, @artist, @track, @played, @trackName, @artistName, @album, @albumName, @duration, @context)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("artist", artist.GetProperty("id").GetString() ?? "local");
        command.Parameters.AddWithValue("track", track.GetProperty("id").GetString() ?? track.GetProperty("uri").GetString()!);
        command.Parameters.AddWithValue("played", item.GetProperty("played_at").GetDateTimeOffset());
        command.Parameters.AddWithValue("trackName", track.GetProperty("name").GetString()!);
        command.Parameters.AddWithValue("artistName", artist.GetProperty("name").GetString()!);
        command.Parameters.AddWithValue("album", (object?)album.GetProperty("id").GetString() ?? DBNull.Value);
        command.Parameters.AddWithValue("albumName", (object?)album.GetProperty("name").GetString() ?? DBNull.Value);
        command.Parameters.AddWithValue("duration", track.GetProperty("duration_ms").GetInt32());
        command.Parameters.AddWithValue("context", item.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
            ? context.GetProperty("uri").GetString()!
            : DBNull.Value);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
