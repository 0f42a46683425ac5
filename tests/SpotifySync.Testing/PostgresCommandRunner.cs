namespace SpotifySync.Testing;

/// <summary>
/// Runs initdb and pg_ctl as a user PostgreSQL accepts. Both refuse to run as root, and CI
/// and dev containers usually are root, so there they run as the 'postgres' account instead.
/// </summary>
internal sealed class PostgresCommandRunner
{
    private const string ServiceAccount = "postgres";

    private readonly PostgresBinaries _binaries;
    private readonly bool _asServiceAccount;

    private PostgresCommandRunner(PostgresBinaries binaries, bool asServiceAccount)
    {
        _binaries = binaries;
        _asServiceAccount = asServiceAccount;
    }

    public static async Task<PostgresCommandRunner> CreateAsync(CancellationToken ct)
    {
        var binaries = PostgresBinaries.Locate();
        var asServiceAccount = await IsRootAsync(ct).ConfigureAwait(false);
        if (asServiceAccount)
        {
            await EnsureServiceAccountExistsAsync(ct).ConfigureAwait(false);
        }
        return new PostgresCommandRunner(binaries, asServiceAccount);
    }

    /// <summary>Gives the account that runs PostgreSQL ownership of a folder we created.</summary>
    public async Task HandOverAsync(string directory, CancellationToken ct)
    {
        if (!_asServiceAccount)
        {
            return;
        }
        var result = await ExternalProcess.RunAsync("chown", [$"{ServiceAccount}:", directory], ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not hand {directory} to the '{ServiceAccount}' account (exit {result.ExitCode}):\n{TextTail.Of(result.Output)}");
        }
    }

    public Task<ProcessResult> InitDbAsync(IReadOnlyList<string> arguments, string workingDirectory, CancellationToken ct) =>
        RunAsync(_binaries.InitDb, arguments, workingDirectory, TimeSpan.FromMinutes(2), ct);

    public Task<ProcessResult> PgCtlAsync(IReadOnlyList<string> arguments, string workingDirectory, CancellationToken ct) =>
        RunAsync(_binaries.PgCtl, arguments, workingDirectory, TimeSpan.FromSeconds(90), ct);

    private async Task<ProcessResult> RunAsync(
        string binary, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var (fileName, fullArguments) = _asServiceAccount
            ? ("runuser", (IReadOnlyList<string>)["-u", ServiceAccount, "--", binary, .. arguments])
            : (binary, arguments);
        try
        {
            // Run inside our own folder: the service account may not be allowed into the caller's cwd.
            var result = await ExternalProcess.RunAsync(fileName, fullArguments, ct, timeout, workingDirectory).ConfigureAwait(false);
            return result with { Output = $"$ {ExternalProcess.Describe(fileName, fullArguments)}\n{result.Output}" };
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }

    private static async Task<bool> IsRootAsync(CancellationToken ct)
    {
        // .NET derives UserName from the effective uid; `id -u` covers a uid 0 that is not named root.
        if (Environment.UserName == "root")
        {
            return true;
        }
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        var result = await ExternalProcess.RunAsync("id", ["-u"], ct).ConfigureAwait(false);
        return result.Succeeded && result.Output.Trim() == "0";
    }

    private static async Task EnsureServiceAccountExistsAsync(CancellationToken ct)
    {
        var result = await ExternalProcess.RunAsync("id", ["-u", ServiceAccount], ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Running as root, so PostgreSQL must run as the '{ServiceAccount}' account, which does not exist. " +
                "On Debian/Ubuntu: apt-get install postgresql (creates it); or run the tests as a non-root user.");
        }
    }
}
