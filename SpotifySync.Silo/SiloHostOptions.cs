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
    /// Empty = loopback, for processes on one machine. Not with <see cref="KubernetesHosting"/>, where it is the pod's IP.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// This silo runs in a Kubernetes pod: Orleans' Kubernetes hosting names the silo after its pod, advertises the pod's
    /// IP and declares dead the silos whose pods are gone. Off elsewhere: it needs the pod's service account to reach the
    /// Kubernetes API and would stop the silo at start without it.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>
    /// How long a stopping silo (SIGTERM) may take to leave the cluster gracefully: finish or hand back its syncs,
    /// save and deactivate its grains, hand its reminders and the coordinator to the others. Shorter than the
    /// orchestrator's grace period (compose's <c>stop_grace_period</c>, Kubernetes' <c>terminationGracePeriodSeconds</c>,
    /// both 30 s here), or the silo is killed mid-way and the others must first declare it dead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
