namespace SpotifySync.IntegrationTests.Hosting;

/// <summary>
/// The variables a pod's manifest gives a silo, set on this process and put back as they were on dispose: Orleans' Kubernetes
/// hosting reads them from the process environment, not from configuration. The assembly runs one test at a time.
/// </summary>
public sealed class PodEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _previous = [];

    public PodEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
