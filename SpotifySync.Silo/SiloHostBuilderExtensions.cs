using System.Net;
using Orleans.Configuration;

namespace SpotifySync.Silo;

public static class SiloHostBuilderExtensions
{
    /// <summary>Who this silo is (cluster identity) and where the others reach it (endpoints), from <c>Orleans:*</c>.</summary>
    public static ISiloBuilder UseSiloHost(this ISiloBuilder silo, SiloHostOptions host)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = host.ClusterId;
            o.ServiceId = host.ServiceId;
        });
        if (!host.KubernetesHosting)
        {
            var advertised = AdvertisedAddress.Resolve(host.AdvertisedIPAddress);
            // Inside a container the advertised address is the container's; listen on every interface there.
            return silo.ConfigureEndpoints(advertised, host.SiloPort, host.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        }
        var podAddress = KubernetesPod.Address(silo.Configuration);
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = host.SiloPort;
            o.GatewayPort = host.GatewayPort;
            // Kubernetes hosting would advertise POD_IP only if the address were still unset when it runs, but Orleans'
            // own default (the lowest address of any interface) is registered before it and always fills it first.
            // It still opens the listening endpoints on every interface. Without POD_IP KubernetesHostingValidator stops the silo.
            if (podAddress is not null)
            {
                o.AdvertisedIPAddress = podAddress;
            }
        });
        // After the ClusterOptions above, so that ORLEANS_CLUSTER_ID and ORLEANS_SERVICE_ID, when the pod sets them, win;
        // KubernetesHostingValidator stops the silo when they disagree with Orleans:ClusterId / Orleans:ServiceId.
        return silo.UseKubernetesHosting();
    }
}
