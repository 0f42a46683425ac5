using Microsoft.Extensions.Options;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Silo;

/// <summary>Keeps <c>listening_data</c>'s monthly partitions <c>Storage:PartitionMonthsAhead</c> ahead, from every silo.</summary>
public sealed partial class ListeningDataPartitionKeeper(
    ListeningDataPartitions partitions, IOptions<StorageOptions> options, ILogger<ListeningDataPartitionKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await partitions.EnsureAheadAsync(options.Value.PartitionMonthsAhead, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e, Period.TotalHours);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create listening_data's next monthly partitions; trying again in {Hours} h")]
    private partial void LogFailed(Exception e, double hours);
}
