using Microsoft.Extensions.Configuration;
using SpotifySync.Silo;

namespace SpotifySync.IntegrationTests.Hosting;

public sealed class KubernetesHostingValidatorTests
{
    [Fact]
    public void Outside_kubernetes_the_pod_variables_are_not_looked_at()
    {
        var result = Validator(("ORLEANS_CLUSTER_ID", "elsewhere")).Validate(null, new SiloHostOptions { AdvertisedIPAddress = "silo1" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void In_a_pod_matching_or_absent_identities_are_valid()
    {
        var options = new SiloHostOptions { KubernetesHosting = true };

        Assert.True(Validator(("POD_IP", "10.244.1.17")).Validate(null, options).Succeeded);
        Assert.True(Validator(("POD_IP", "10.244.1.17"), ("ORLEANS_CLUSTER_ID", "spotifysync"), ("ORLEANS_SERVICE_ID", "spotifysync"))
            .Validate(null, options).Succeeded);
    }

    [Fact]
    public void In_a_pod_a_service_id_other_than_Orleans_ServiceId_is_refused_with_both_named()
    {
        var result = Validator(("POD_IP", "10.244.1.17"), ("ORLEANS_SERVICE_ID", "other")).Validate(null, new SiloHostOptions { KubernetesHosting = true });

        Assert.True(result.Failed);
        Assert.Contains("ORLEANS_SERVICE_ID", result.FailureMessage);
        Assert.Contains("Orleans:ServiceId", result.FailureMessage);
    }

    [Fact]
    public void In_a_pod_an_advertised_address_is_refused()
    {
        var result = Validator(("POD_IP", "10.244.1.17")).Validate(null, new SiloHostOptions { KubernetesHosting = true, AdvertisedIPAddress = "10.0.0.5" });

        Assert.True(result.Failed);
        Assert.Contains("Orleans:AdvertisedIPAddress", result.FailureMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-address")]
    public void In_a_pod_the_pod_ip_is_required(string? podIp)
    {
        var result = Validator(("POD_IP", podIp)).Validate(null, new SiloHostOptions { KubernetesHosting = true });

        Assert.True(result.Failed);
        Assert.Contains("POD_IP", result.FailureMessage);
    }

    private static KubernetesHostingValidator Validator(params (string Name, string? Value)[] variables) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value))).Build());
}
