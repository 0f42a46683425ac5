namespace SpotifySync.Testing;

/// <summary>
/// Where initdb and pg_ctl live. Debian keeps them off PATH under /usr/lib/postgresql/N/bin,
/// so PATH alone is not enough; PG_BIN lets a developer pin a specific build.
/// </summary>
internal sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    public const string NotFoundMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) not found. On Debian/Ubuntu: apt-get install postgresql; or set PG_BIN to their folder.";

    public static PostgresBinaries Locate()
    {
        var pinned = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrWhiteSpace(pinned))
        {
            // An explicit choice that is wrong should fail loudly, not silently use another version.
            return InFolder(pinned)
                ?? throw new InvalidOperationException($"{NotFoundMessage} (PG_BIN is '{pinned}', which lacks them.)");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(InFolder)
            .FirstOrDefault(found => found is not null);

        return onPath
            ?? NewestDebianInstall()
            ?? throw new InvalidOperationException(NotFoundMessage);
    }

    private static PostgresBinaries? NewestDebianInstall()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(dir => (dir, version: ParseVersion(Path.GetFileName(dir))))
            .Where(x => x.version is not null)
            .OrderByDescending(x => x.version)
            .Select(x => InFolder(Path.Combine(x.dir, "bin")))
            .FirstOrDefault(found => found is not null);
    }

    // Folder names are "15" or "9.6"; a numeric compare keeps 10 above 9.6.
    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : name + ".0", out var version) ? version : null;

    private static PostgresBinaries? InFolder(string folder)
    {
        var initDb = Path.Combine(folder, "initdb");
        var pgCtl = Path.Combine(folder, "pg_ctl");
        return File.Exists(initDb) && File.Exists(pgCtl) ? new PostgresBinaries(initDb, pgCtl) : null;
    }
}
