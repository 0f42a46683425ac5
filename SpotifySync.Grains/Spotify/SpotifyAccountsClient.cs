using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Budget;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Spotify;

/// <summary>Spotify's accounts service: exchanges a refresh token for a new access token.</summary>
public sealed class SpotifyAccountsClient(HttpClient http, SpotifyCallPermits permits, IOptions<SpotifyOptions> options, TimeProvider time)
{
    private readonly SpotifyOptions _options = options.Value;

    public async Task<AccessTokenGrant> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var request = RefreshRequest(refreshToken);
        await permits.PrepayAsync(request, cancellationToken);
        return await SpotifyCallDeadline.RunAsync("token endpoint", SpotifyHttpResilience.TotalTimeout(_options), time,
            deadline => SendRefreshAsync(request, deadline), cancellationToken);
    }

    private HttpRequestMessage RefreshRequest(string refreshToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.AccountsBaseUrl, "api/token"));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.ClientId}:{_options.ClientSecret}")));
        request.Content = new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        ]);
        return request;
    }

    private async Task<AccessTokenGrant> SendRefreshAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var now = time.GetUtcNow();
        if (SpotifyErrorReader.IsThrottled(response))
        {
            throw await SpotifyErrorReader.ThrottledAsync(response, now, cancellationToken);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, cancellationToken);
        }

        TokenResponse? token;
        try
        {
            token = await response.Content.ReadFromJsonAsync(SpotifyJsonContext.Default.TokenResponse, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new SpotifyResponseFormatException("token endpoint answered malformed JSON", e);
        }
        if (token is null || string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn <= 0)
        {
            throw new SpotifyResponseFormatException("token endpoint answered without access_token or expires_in");
        }
        // An empty refresh_token counts as absent: keep the current one (Spotify rotates only sometimes).
        var rotated = string.IsNullOrEmpty(token.RefreshToken) ? null : token.RefreshToken;
        return new AccessTokenGrant(token.AccessToken, now.AddSeconds(token.ExpiresIn), rotated, token.Scope);
    }

    private static async Task<SpotifyException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        OAuthErrorResponse? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body, SpotifyJsonContext.Default.OAuthErrorResponse);
        }
        catch (JsonException)
        {
            // Not OAuth JSON (an edge error page): fall through to the generic message.
        }
        var description = SpotifyErrorReader.Truncate(error?.ErrorDescription ?? "");
        return error?.Error switch
        {
            "invalid_grant" => new SpotifyRefreshTokenRejectedException(description),
            "invalid_client" => new SpotifyClientRejectedException(description),
            { } code => new SpotifyException($"token endpoint answered HTTP {(int)response.StatusCode}: {code} {description}".TrimEnd(), response.StatusCode),
            null => new SpotifyException($"token endpoint answered HTTP {(int)response.StatusCode} (non-OAuth body of {body.Length} chars)", response.StatusCode),
        };
    }
}
