using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;
using SpotifySync.Grains.Storage;
using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests.Security;

/// <summary>
/// <c>SpotifySync.Silo reencrypt</c> run as an operator runs it after adding a key: a separate process, configured by
/// command-line keys, against a filled table; its exit code is what a script or a Kubernetes Job reads.
/// </summary>
public sealed class ReencryptCommandTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Moves_every_row_to_the_new_key_exits_0_and_a_second_run_finds_nothing_to_move()
    {
        var connectionString = await postgres.CreateDatabaseAsync("reencrypt");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var store = new SpotifyUserStore(dataSource);
        var oldKeyOnly = new TokenProtector(Options.Create(new SecurityOptions { TokenEncryptionKey = OldKey }));
        var users = Enumerable.Range(1, 10).Select(i => (Id: $"cli-{i:00}", Token: $"refresh-token-{i}")).ToArray();
        foreach (var (id, token) in users)
        {
            await store.SaveAsync(new SpotifyUserRecord
            {
                UserId = id,
                State = SpotifyUserStates.Active,
                RefreshTokenEncrypted = oldKeyOnly.Protect(token, id),
                AuthorizedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None);
        }
        var configuration = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Security:TokenEncryptionKey"] = OldKey,
            ["Security:TokenEncryptionKeys:0:Id"] = "k2",
            ["Security:TokenEncryptionKeys:0:Key"] = NewKey,
            ["BatchSize"] = "4",
        };

        var (exitCode, output) = await ServiceProcess.RunSiloCommandAsync("reencrypt", configuration, CommandTimeout);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        var newKeyOnly = new TokenProtector(Options.Create(new SecurityOptions
        {
            TokenEncryptionKeys = [new TokenEncryptionKeyOptions { Id = "k2", Key = NewKey }],
        }));
        foreach (var (id, token) in users)
        {
            var row = await store.LoadAsync(id, CancellationToken.None);
            Assert.Equal("k2", row!.TokenKeyId);
            Assert.Equal(token, newKeyOnly.Unprotect(row.RefreshTokenEncrypted!, id));
        }
        Assert.DoesNotContain(users[0].Token, output, StringComparison.Ordinal);

        var again = await ServiceProcess.RunSiloCommandAsync("reencrypt", configuration, CommandTimeout);
        Assert.True(again.ExitCode == 0, $"exit code {again.ExitCode}:\n{again.Output}");
    }

    [Fact]
    public async Task Without_a_token_key_it_exits_1_and_says_which_setting_is_missing()
    {
        var connectionString = await postgres.CreateDatabaseAsync("reencrypt_nokey");

        var (exitCode, output) = await ServiceProcess.RunSiloCommandAsync("reencrypt",
            new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = connectionString }, CommandTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("TokenEncryptionKey", output, StringComparison.Ordinal);
    }
}
