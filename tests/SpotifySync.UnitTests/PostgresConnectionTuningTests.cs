using Npgsql;
using SpotifySync.Grains.Storage;

namespace SpotifySync.UnitTests;

public sealed class PostgresConnectionTuningTests
{
    [Fact]
    public void Statements_are_prepared_connections_not_reset_pools_bounded_and_GSS_not_tried_unless_the_operator_says_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionTuning.Apply("Host=db;Username=sync;Password=p;Database=spotifysync"));

        Assert.Equal(PostgresConnectionTuning.MaxAutoPrepare, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(GssEncryptionMode.Disable, tuned.GssEncryptionMode);
        Assert.Equal(PostgresConnectionTuning.MaxPoolSize, tuned.MaxPoolSize);
        Assert.Equal("db", tuned.Host);
        Assert.Equal("p", tuned.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false;GSS Encryption Mode=Prefer;Maximum Pool Size=7")]
    [InlineData("Host=db;maxautoprepare=0;NORESETONCLOSE=false;gssencryptionmode=prefer;maxpoolsize=7")]
    public void What_the_operator_wrote_wins(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionTuning.Apply(connectionString));

        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(GssEncryptionMode.Prefer, tuned.GssEncryptionMode);
        Assert.Equal(7, tuned.MaxPoolSize);
    }
}
