using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Budget;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Storage;

namespace SpotifySync.Grains.Spotify;

/// <summary>The part of Spotify's Web API the sync reads.</summary>
public sealed class SpotifyWebApiClient(IHttpClientFactory httpClients, SpotifyCallPermits permits, IOptions<SpotifyOptions> options, TimeProvider time)
{
    /// <summary>
    /// The named <see cref="HttpClient"/> (its resilience pipeline and permit handler: <c>AddSpotifySync</c>). One is
    /// made per request: this client is a singleton, and a typed client held by every user grain kept two
    /// <see cref="HttpClient"/>s and their headers alive per grain in memory (a fifth of a connected user's heap).
    /// </summary>
    public const string HttpClientName = "spotify-web-api";

    /// <summary>Spotify keeps only the 50 most recent plays, and 50 is the most one page returns.</summary>
    public const int MaxRecentlyPlayed = 50;

    /// <summary>A recently-played page larger than this is not one: refused rather than buffered.</summary>
    public const int MaxPageBytes = 4 * 1024 * 1024;

    private readonly SpotifyOptions _options = options.Value;

    /// <summary>
    /// The user's most recent plays as table rows, newest first. We always read the whole window (no <c>after</c> cursor)
    /// so that plays Spotify reports late are still seen; the table's unique key makes the overlap free.
    /// </summary>
    public async Task<IReadOnlyList<ListeningRow>> GetRecentlyPlayedAsync(string userId, string accessToken, CancellationToken cancellationToken)
    {
        var uri = new Uri(_options.ApiBaseUrl, $"v1/me/player/recently-played?limit={MaxRecentlyPlayed}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        await permits.PrepayAsync(request, cancellationToken);
        return await SpotifyCallDeadline.RunAsync("recently-played", SpotifyHttpResilience.TotalTimeout(_options), time,
            deadline => SendRecentlyPlayedAsync(userId, request, deadline), cancellationToken);
    }

    private async Task<IReadOnlyList<ListeningRow>> SendRecentlyPlayedAsync(string userId, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (SpotifyErrorReader.IsThrottled(response))
        {
            throw await SpotifyErrorReader.ThrottledAsync(response, time.GetUtcNow(), cancellationToken);
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new SpotifyAccessTokenRejectedException(await SpotifyErrorReader.DescribeAsync(response, cancellationToken));
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new SpotifyException(
                $"recently-played answered {await SpotifyErrorReader.DescribeAsync(response, cancellationToken)}", response.StatusCode);
        }

        using var body = await PooledResponseBody.ReadAsync(response.Content, MaxPageBytes, "recently-played", cancellationToken);
        return RecentlyPlayedPage.ReadRows(userId, body.Span);
    }
}
