using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// What one sync's commit (50 new plays and the user row, one transaction) costs on an empty <c>listening_data</c>
/// and on one holding millions of plays, in a database of its own on the run's PostgreSQL. The filler rows are
/// shaped like real plays (id and name lengths as Spotify's) so the same table also gives the bytes a play takes.
/// </summary>
internal static class CommitCost
{
    private const string UserId = "commit-cost-user";

    public static async Task<CommitCostResult> MeasureAsync(PostgresServer postgres, long tableRows, int commits, Action<string> say, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("commitcost", ct));
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(ct);
        var writer = new ListeningDataWriter(dataSource);
        var user = await new SpotifyUserStore(dataSource).SaveAsync(
            new SpotifyUserRecord { UserId = UserId, State = SpotifyUserStates.Active, RefreshTokenEncrypted = "not-a-real-token" }, ct);
        // Pages move forward from 60 days ago: the plays of a real sync are recent, and land where the filler does.
        var nextPage = DateTimeOffset.UtcNow.AddDays(-60);

        async Task<LatencySummary> TimeCommitsAsync()
        {
            var latencies = new List<long>(commits);
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < commits; i++)
            {
                var page = PlayPage.Create(UserId, nextPage);
                nextPage += PlayPage.Span / 10;
                var before = Stopwatch.GetTimestamp();
                user = await writer.CommitAsync(user, page, DateTimeOffset.UtcNow, ct);
                latencies.Add(Stopwatch.GetTimestamp() - before);
            }
            return LatencySummary.From(latencies, 0, Stopwatch.GetElapsedTime(started));
        }

        await TimeCommitsAsync(); // warm-up: JIT, connection pool, PostgreSQL's caches
        var empty = await TimeCommitsAsync();

        say($"filling listening_data with {tableRows:N0} plays");
        var fill = Stopwatch.StartNew();
        await using (var command = dataSource.CreateCommand(FillSql))
        {
            command.CommandTimeout = 0;
            command.Parameters.AddWithValue("rows", tableRows);
            await command.ExecuteNonQueryAsync(ct);
        }
        await using (var analyze = dataSource.CreateCommand("ANALYZE listening_data"))
        {
            analyze.CommandTimeout = 0;
            await analyze.ExecuteNonQueryAsync(ct);
        }
        fill.Stop();
        var full = await TimeCommitsAsync();
        var footprint = await StorageFootprint.ReadAsync(dataSource, ct);
        return new CommitCostResult(empty, full, footprint, fill.Elapsed);
    }

    // 1,000 plays per listener, spread over the last 60 days; lengths as PlayPage's (Spotify's 22-character ids).
    private const string FillSql = """
        INSERT INTO listening_data (user_id, artist_id, track_id, played_at, track_name, artist_name, album_id, album_name, duration_ms, context_uri)
        SELECT 'listener-' || lpad((n / 1000)::text, 6, '0'),
               '4Z8W4fKeB5YxbusRsdQVP' || (n % 97),
               '6rqhFgbbKwnb9MLmUQDh' || lpad((n % 8191)::text, 4, '0'),
               now() - interval '60 days' + (n % 1000) * interval '86 minutes' + (n / 1000) * interval '1 millisecond',
               'Track number ' || (n % 8191) || ' with a typical title',
               'A Typical Artist Name',
               '1ATL5GLyefJaxhQzSPVr' || (n % 53),
               'An Album Name of Average Length',
               180000 + n % 60000,
               'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'
        FROM generate_series(0, @rows - 1) AS n
        """;
}

internal sealed record CommitCostResult(LatencySummary Empty, LatencySummary Full, StorageFootprint Footprint, TimeSpan FillTime);
