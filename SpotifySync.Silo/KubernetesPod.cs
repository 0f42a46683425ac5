using System.Net;

namespace SpotifySync.Silo;

/// <summary>
/// The variables Orleans' Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes 10.4.2) reads from a silo's pod, as our
/// manifests set them: POD_NAME, POD_NAMESPACE and POD_IP from the downward API, ORLEANS_CLUSTER_ID and ORLEANS_SERVICE_ID
/// from the pod's <c>orleans/clusterId</c> and <c>orleans/serviceId</c> labels.
/// </summary>
public static class KubernetesPod
{
    public const string IpVariable = "POD_IP";
    public const string ClusterIdVariable = "ORLEANS_CLUSTER_ID";
    public const string ServiceIdVariable = "ORLEANS_SERVICE_ID";

    /// <summary>The pod's IP, or null when POD_IP is missing or not an address.</summary>
    public static IPAddress? Address(IConfiguration configuration) =>
        IPAddress.TryParse(configuration[IpVariable], out var address) ? address : null;
}
