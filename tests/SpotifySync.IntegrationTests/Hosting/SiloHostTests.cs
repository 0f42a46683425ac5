using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using SpotifySync.Silo;

namespace SpotifySync.IntegrationTests.Hosting;

/// <summary>
/// A silo's identity and endpoints as the real host wires them (<see cref="SiloHostBuilderExtensions.UseSiloHost"/>), in a host
/// that is built but never started: outside Kubernetes as it always was, and in a pod with Orleans' Kubernetes hosting taking
/// the pod's name and IP from the variables our manifests set.
/// </summary>
public sealed class SiloHostTests
{
    private const string PodName = "spotifysync-silo-6c9f7d5b8-x2k4q";
    private const string PodIp = "10.244.1.17";

    [Fact]
    public void Kubernetes_hosting_is_off_unless_configured()
    {
        Assert.False(new SiloHostOptions().KubernetesHosting);
        Assert.False(Bind([]).KubernetesHosting);
        Assert.True(Bind([new("Orleans:KubernetesHosting", "true")]).KubernetesHosting);
    }

    [Fact]
    public void Outside_kubernetes_a_silo_advertises_loopback_listens_there_only_and_has_no_kubernetes_agent()
    {
        var (services, provider) = Build(Bind([]));
        using (provider)
        {
            var endpoints = provider.GetRequiredService<IOptions<EndpointOptions>>().Value;
            Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
            Assert.Equal((11111, 30000), (endpoints.SiloPort, endpoints.GatewayPort));
            Assert.Null(endpoints.SiloListeningEndpoint);
            Assert.Null(endpoints.GatewayListeningEndpoint);
            var cluster = provider.GetRequiredService<IOptions<ClusterOptions>>().Value;
            Assert.Equal(("spotifysync", "spotifysync"), (cluster.ClusterId, cluster.ServiceId));
            Assert.DoesNotContain(services, d => d.ImplementationType == typeof(KubernetesClusterAgent));
        }
    }

    [Fact]
    public void In_a_container_a_silo_advertises_its_configured_address_and_listens_on_every_interface()
    {
        var (_, provider) = Build(Bind([new("Orleans:AdvertisedIPAddress", "10.89.0.7"), new("Orleans:SiloPort", "11112")]));
        using (provider)
        {
            var endpoints = provider.GetRequiredService<IOptions<EndpointOptions>>().Value;
            Assert.Equal(IPAddress.Parse("10.89.0.7"), endpoints.AdvertisedIPAddress);
            Assert.Equal(new IPEndPoint(IPAddress.Any, 11112), endpoints.SiloListeningEndpoint);
            Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
        }
    }

    [Fact]
    public void In_a_pod_Kubernetes_hosting_advertises_the_pod_ip_names_the_silo_after_the_pod_and_watches_the_pods()
    {
        using var pod = new PodEnvironment(new Dictionary<string, string>
        {
            ["POD_NAME"] = PodName,
            ["POD_NAMESPACE"] = "spotifysync",
            ["POD_IP"] = PodIp,
            ["ORLEANS_CLUSTER_ID"] = "spotifysync",
            ["ORLEANS_SERVICE_ID"] = "spotifysync",
        });
        var (services, provider) = Build(Bind([new("Orleans:KubernetesHosting", "true")]));
        using (provider)
        {
            var endpoints = provider.GetRequiredService<IOptions<EndpointOptions>>().Value;
            // Left to Orleans 10.4.2, this is the lowest address of the machine's interfaces (its default runs first).
            Assert.Equal(IPAddress.Parse(PodIp), endpoints.AdvertisedIPAddress);
            Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
            Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
            Assert.Equal(PodName, provider.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
            // Never resolved here: the agent connects to the Kubernetes API with the pod's service account when the silo starts.
            Assert.Contains(services, d => d.ImplementationType == typeof(KubernetesClusterAgent));
        }
    }

    [Fact]
    public void In_a_pod_the_cluster_identity_the_pod_sets_wins_and_the_validator_refuses_it_when_it_disagrees()
    {
        using var pod = new PodEnvironment(new Dictionary<string, string>
        {
            ["POD_NAME"] = PodName,
            ["POD_NAMESPACE"] = "spotifysync",
            ["POD_IP"] = PodIp,
            ["ORLEANS_CLUSTER_ID"] = "from-the-pod",
        });
        var options = Bind([new("Orleans:KubernetesHosting", "true")]);
        var (_, provider) = Build(options);
        using (provider)
        {
            Assert.Equal("from-the-pod", provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId);
        }
        var result = new KubernetesHostingValidator(new ConfigurationBuilder().AddEnvironmentVariables().Build()).Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("ORLEANS_CLUSTER_ID", result.FailureMessage);
    }

    private static SiloHostOptions Bind(KeyValuePair<string, string?>[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();

    /// <summary>As the silo's Program does it: the host's configuration (environment included) is the silo builder's.</summary>
    private static (IServiceCollection Services, ServiceProvider Provider) Build(SiloHostOptions options)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables();
        builder.UseOrleans(silo => silo.UseSiloHost(options));
        return (builder.Services, builder.Services.BuildServiceProvider());
    }
}
