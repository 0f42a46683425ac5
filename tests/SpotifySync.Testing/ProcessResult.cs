namespace SpotifySync.Testing;

/// <summary>Exit code and interleaved stdout/stderr of a finished <see cref="ExternalProcess"/>.</summary>
public sealed record ProcessResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
