using System.Data.Common;
using Npgsql;

namespace SpotifySync.Grains.Storage;

/// <summary>
/// The operator's <c>ConnectionStrings:Postgres</c> with four Npgsql settings SpotifySync calls for, unless the
/// operator set them: every statement (ours and Orleans' clustering and reminder queries) is the same few
/// parameterised ones, run hundreds of times a second, so they are prepared once per connection
/// (<c>Max Auto Prepare</c>) rather than parsed and planned each time; and a pooled connection is not reset
/// (<c>No Reset On Close</c>) on every return to the pool, which would throw those prepared statements away with the
/// session. Nothing here changes session state that a reset would need to undo: advisory locks are transaction-scoped
/// or released explicitly. Profiled at 600 connects/s: PostgreSQL's parser, plan copies and <c>DISCARD ALL</c>
/// were most of its CPU. And GSS session encryption is not tried first (<c>GSS Encryption Mode=Disable</c>): Npgsql
/// 10 prefers it by default, which costs every new physical connection a round trip and, in images without Kerberos'
/// <c>libgssapi_krb5</c> (Microsoft's .NET images among them), an error line on standard error; an operator whose
/// server wants GSS says so in the connection string. Last, each silo keeps at most <see cref="MaxPoolSize"/>
/// connections (Npgsql's default is 100): every statement here is short, so more connections than that only queue
/// inside PostgreSQL, while three silos at 100 each exceed PostgreSQL's default <c>max_connections</c> of 100 and the
/// unlucky ones fail with "too many clients" (seen in the container test's first runs). Size PostgreSQL for
/// silos × <see cref="MaxPoolSize"/> plus a few for the API and the operator.
/// </summary>
public static class PostgresConnectionTuning
{
    public const int MaxAutoPrepare = 128;

    public const int MaxPoolSize = 32;

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
        if (!Mentions(connectionString, "Maximum Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }
        if (!Mentions(connectionString, "GSS Encryption Mode", "GssEncryptionMode"))
        {
            builder.GssEncryptionMode = GssEncryptionMode.Disable;
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
