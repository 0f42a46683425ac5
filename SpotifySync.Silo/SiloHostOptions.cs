using System.ComponentModel.DataAnnotations;

namespace SpotifySync.Silo;

/// <summary>Configuration section <c>Orleans</c>: who this silo is and where others reach it.</summary>
public sealed class SiloHostOptions
{
    public const string SectionName = "Orleans";

    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "spotifysync";

    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "spotifysync";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Address other silos and clients use: an IP, or a host name resolved at start (a compose service name).
    /// Empty = loopback, for processes on one machine.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }
}
