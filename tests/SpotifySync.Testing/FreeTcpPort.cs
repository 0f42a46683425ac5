using System.Net;
using System.Net.Sockets;

namespace SpotifySync.Testing;

/// <summary>
/// Asks the OS for an unused loopback port, so parallel test runs never fight over 5432.
/// The port is free only at the moment of asking; callers must retry if it is taken before use.
/// </summary>
public static class FreeTcpPort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
