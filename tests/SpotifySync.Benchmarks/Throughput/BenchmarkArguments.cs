using System.Globalization;

namespace SpotifySync.Benchmarks.Throughput;

/// <summary>
/// The arguments the whole-system benchmarks share: <c>--quick</c>, <c>--users N</c> and (where a command takes it)
/// <c>--interval hh:mm:ss</c>. Anything else, or a value out of range, throws with the command's usage.
/// </summary>
internal sealed record BenchmarkArguments(bool Quick, int? Users, TimeSpan? Interval)
{
    public static BenchmarkArguments Parse(IReadOnlyList<string> args, int minUsers, string usage, TimeSpan? minInterval = null)
    {
        var quick = false;
        int? users = null;
        TimeSpan? interval = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--users" when i + 1 < args.Count
                    && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= minUsers:
                    users = n;
                    i++;
                    break;
                case "--interval" when minInterval is not null && i + 1 < args.Count
                    && TimeSpan.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var t) && t >= minInterval:
                    interval = t;
                    i++;
                    break;
                default:
                    throw new ArgumentException($"unknown or incomplete argument '{args[i]}'; {usage}");
            }
        }
        return new BenchmarkArguments(quick, users, interval);
    }
}
