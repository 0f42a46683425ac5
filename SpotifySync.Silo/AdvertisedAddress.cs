using System.Net;
using System.Net.Sockets;

namespace SpotifySync.Silo;

/// <summary>Turns <c>Orleans:AdvertisedIPAddress</c> into the IPv4 address this silo announces in the membership table.</summary>
public static class AdvertisedAddress
{
    public static IPAddress Resolve(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return IPAddress.Loopback;
        }
        if (IPAddress.TryParse(configured, out var address))
        {
            return address;
        }
        // A container knows its own service name; other silos need the address behind it.
        return Dns.GetHostAddresses(configured).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{configured}' resolves to no IPv4 address.");
    }
}
