namespace SpotifySync.Testing;

/// <summary>
/// Stops servers left by test hosts that died without running any cleanup (SIGKILL, a CI timeout).
/// ProcessExit cannot cover those, and without this each such run would leak a running postgres.
/// </summary>
internal static class OrphanedServerSweeper
{
    public static async Task SweepAsync(PostgresCommandRunner commands, CancellationToken ct)
    {
        IReadOnlyList<string> orphans;
        try
        {
            orphans = ServerDirectory.FindOrphaned().ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var directory in orphans)
        {
            var data = Path.Combine(directory, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    // Exit code ignored: the server may already be gone, the folder goes either way.
                    await commands.PgCtlAsync(["stop", "-D", data, "-m", "immediate", "-w"], directory, ct).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // Someone else's leftovers must never keep this run from starting its own server.
                }
            }
            ServerDirectory.TryDelete(directory);
        }
    }
}
