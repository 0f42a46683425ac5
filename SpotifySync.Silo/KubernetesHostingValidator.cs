using Microsoft.Extensions.Options;

namespace SpotifySync.Silo;

/// <summary>
/// In a pod the silo's address is POD_IP, and Orleans' Kubernetes hosting takes the cluster identity from
/// ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID. The API still finds the silos by <c>Orleans:ClusterId</c>, so a silo whose two
/// identities disagree would silently join a cluster no client looks for.
/// </summary>
public sealed class KubernetesHostingValidator(IConfiguration configuration) : IValidateOptions<SiloHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        if (!options.KubernetesHosting)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.AdvertisedIPAddress))
        {
            failures.Add("Orleans:AdvertisedIPAddress must stay empty with Orleans:KubernetesHosting: the silo advertises its pod's IP (POD_IP).");
        }
        if (KubernetesPod.Address(configuration) is null)
        {
            failures.Add($"Orleans:KubernetesHosting needs {KubernetesPod.IpVariable}, the pod's IP (the downward API's status.podIP); "
                + $"it is '{configuration[KubernetesPod.IpVariable]}'.");
        }
        AddIfDifferent(failures, KubernetesPod.ClusterIdVariable, "Orleans:ClusterId", options.ClusterId);
        AddIfDifferent(failures, KubernetesPod.ServiceIdVariable, "Orleans:ServiceId", options.ServiceId);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void AddIfDifferent(List<string> failures, string variable, string key, string configured)
    {
        var fromPod = configuration[variable];
        if (!string.IsNullOrWhiteSpace(fromPod) && !string.Equals(fromPod, configured, StringComparison.Ordinal))
        {
            failures.Add($"{variable} is '{fromPod}' but {key} is '{configured}': the silo would join '{fromPod}' while the API "
                + $"looks for '{configured}'; make them the same.");
        }
    }
}
