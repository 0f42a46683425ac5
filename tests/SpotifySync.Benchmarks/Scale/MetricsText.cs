using System.Globalization;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>A silo's <c>/metrics</c> answer (Prometheus text format), read for sums of one metric's samples.</summary>
internal sealed class MetricsText(string exposition)
{
    /// <summary>The sum of every sample of <paramref name="name"/> whose labels contain <paramref name="label"/> (all when null).</summary>
    public double Sum(string name, string? label = null)
    {
        var sum = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' '
                && (label is null || line.Contains(label, StringComparison.Ordinal)))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }
}
