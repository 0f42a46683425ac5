using System.Text;

namespace SpotifySync.SpotifyEmulator;

/// <summary>The app's id and secret, sent as HTTP Basic auth or, as Spotify also allows, in the form body.</summary>
internal sealed record ClientCredentials(string ClientId, string ClientSecret)
{
    public static ClientCredentials? From(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Basic ";
        if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return FromBasic(header[scheme.Length..].Trim());
        }

        var id = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        return id.Length > 0 && secret.Length > 0 ? new ClientCredentials(id, secret) : null;
    }

    public bool Matches(EmulatorSettings settings) =>
        string.Equals(ClientId, settings.ClientId, StringComparison.Ordinal)
        && string.Equals(ClientSecret, settings.ClientSecret, StringComparison.Ordinal);

    private static ClientCredentials? FromBasic(string encoded)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new ClientCredentials(decoded[..colon], decoded[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
