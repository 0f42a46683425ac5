using System.Data.Common;
using Npgsql;

namespace SpotifySync.Grains.Storage;

/// <summary>
/// The operator's <c>ConnectionStrings:Postgres</c> with two Npgsql settings SpotifySync's statements call for, unless
/// the operator set them: every statement (ours and Orleans' clustering and reminder queries) is the same few
/// parameterised ones, run hundreds of times a second, so they are prepared once per connection
/// (<c>Max Auto Prepare</c>) rather than parsed and planned each time; and a pooled connection is not reset
/// (<c>No Reset On Close</c>) on every return to the pool, which would throw those prepared statements away with the
/// session. Nothing here changes session state that a reset would need to undo: advisory locks are transaction-scoped
/// or released explicitly. Profiled at 600 connects/s: PostgreSQL's parser, plan copies and <c>DISCARD ALL</c>
/// were most of its CPU.
/// </summary>
public static class PostgresConnectionTuning
{
    public const int MaxAutoPrepare = 128;

    public static string Apply(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }
        if (!Mentions(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    /// <summary>Whether the operator wrote the setting, in either of Npgsql's spellings (case and spaces ignored).</summary>
    private static bool Mentions(string connectionString, params string[] keys)
    {
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal));
        return written.Any(key => keys.Any(k => string.Equals(key, k.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)));
    }
}
