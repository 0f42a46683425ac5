using System.ComponentModel.DataAnnotations;

namespace SpotifySync.Grains.Options;

/// <summary>Configuration section <c>Storage</c>: how the data's tables are kept.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// Monthly partitions of <c>listening_data</c> kept ready after the current month (every silo checks at start and
    /// every six hours), so that silos stopped for a while still find next month's partition.
    /// </summary>
    [Range(1, 36)]
    public int PartitionMonthsAhead { get; set; } = 3;
}
