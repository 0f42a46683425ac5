using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Budget;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;

namespace SpotifySync.Grains.Spotify;

/// <summary>
/// Spotify's accounts service (<c>POST /api/token</c>): refreshes an access token, and exchanges an authorization code
/// (client credentials, or PKCE) for the first tokens of a user. Every request takes a call-budget permit first.
/// </summary>
public sealed class SpotifyAccountsClient(IHttpClientFactory httpClients, SpotifyCallPermits permits, IOptions<SpotifyOptions> options, TimeProvider time)
{
    /// <summary>
    /// The named <see cref="HttpClient"/> (its resilience pipeline and permit handler: <c>AddSpotifySync</c>). One is
    /// made per request: this client is a singleton, and a typed client held by every user grain kept two
    /// <see cref="HttpClient"/>s and their headers alive per grain in memory (a fifth of a connected user's heap).
    /// </summary>
    public const string HttpClientName = "spotify-accounts";

    private readonly SpotifyOptions _options = options.Value;

    public Task<AccessTokenGrant> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RefreshAsync(refreshToken, permitWait: null, cancellationToken);

    /// <param name="permitWait">The longest wait for a budget permit (null: as long as it takes); beyond it
    /// <see cref="NoCallPermitSoonException"/> and nothing is sent.</param>
    public Task<AccessTokenGrant> RefreshAsync(string refreshToken, TimeSpan? permitWait, CancellationToken cancellationToken) =>
        SendAsync(RefreshRequest(refreshToken), permitWait, RefreshError, cancellationToken);

    /// <summary>The authorization-code grant. Spotify's refusals surface as <see cref="SpotifyAuthorizationCodeRejectedException"/>.</summary>
    public async Task<AccessTokenGrant> ExchangeCodeAsync(AuthorizationCodeGrant grant, TimeSpan? permitWait, CancellationToken cancellationToken)
    {
        var tokens = await SendAsync(CodeRequest(grant), permitWait, (error, description, _) => CodeError(error, description, grant), cancellationToken);
        return tokens.RotatedRefreshToken is null
            ? throw new SpotifyResponseFormatException("token endpoint answered the authorization-code grant without a refresh_token")
            : tokens;
    }

    private async Task<AccessTokenGrant> SendAsync(
        HttpRequestMessage request, TimeSpan? permitWait, Func<string, string, HttpResponseMessage, SpotifyException> oauthError,
        CancellationToken cancellationToken)
    {
        using (request)
        {
            if (permitWait is { } wait)
            {
                await permits.PrepayWithinAsync(request, wait, cancellationToken);
            }
            else
            {
                await permits.PrepayAsync(request, cancellationToken);
            }
            return await SpotifyCallDeadline.RunAsync("token endpoint", SpotifyHttpResilience.TotalTimeout(_options), time,
                deadline => SendOnceAsync(request, oauthError, deadline), cancellationToken);
        }
    }

    private HttpRequestMessage RefreshRequest(string refreshToken) => TokenRequest(basicAuthentication: true,
    [
        new("grant_type", "refresh_token"),
        new("refresh_token", refreshToken),
    ]);

    /// <summary>With a verifier: PKCE, the client id in the body and no secret. Without: the client's Basic credentials.</summary>
    private HttpRequestMessage CodeRequest(AuthorizationCodeGrant grant)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("grant_type", "authorization_code"),
            new("code", grant.Code),
            new("redirect_uri", grant.RedirectUri),
        ];
        if (grant.CodeVerifier is { } verifier)
        {
            form.Add(new("client_id", _options.ClientId));
            form.Add(new("code_verifier", verifier));
        }
        return TokenRequest(basicAuthentication: grant.CodeVerifier is null, form);
    }

    private HttpRequestMessage TokenRequest(bool basicAuthentication, IEnumerable<KeyValuePair<string, string>> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.AccountsBaseUrl, "api/token"));
        if (basicAuthentication)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.ClientId}:{_options.ClientSecret}")));
        }
        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    private async Task<AccessTokenGrant> SendOnceAsync(
        HttpRequestMessage request, Func<string, string, HttpResponseMessage, SpotifyException> oauthError, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var now = time.GetUtcNow();
        if (SpotifyErrorReader.IsThrottled(response))
        {
            throw await SpotifyErrorReader.ThrottledAsync(response, now, cancellationToken);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, oauthError, cancellationToken);
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

    private static SpotifyException RefreshError(string error, string description, HttpResponseMessage response) => error switch
    {
        "invalid_grant" => new SpotifyRefreshTokenRejectedException(description),
        "invalid_client" => new SpotifyClientRejectedException(description),
        _ => new SpotifyException($"token endpoint answered HTTP {(int)response.StatusCode}: {error} {description}".TrimEnd(), response.StatusCode),
    };

    /// <summary>Every OAuth refusal of a code names its cause; the code itself is never repeated, even if Spotify quoted it.</summary>
    private static SpotifyException CodeError(string error, string description, AuthorizationCodeGrant grant) =>
        new SpotifyAuthorizationCodeRejectedException(error, Redact(Redact(description, grant.Code), grant.CodeVerifier));

    private static string Redact(string text, string? secret) =>
        secret is { Length: > 0 } ? text.Replace(secret, "[redacted]", StringComparison.Ordinal) : text;

    private static async Task<SpotifyException> ToExceptionAsync(
        HttpResponseMessage response, Func<string, string, HttpResponseMessage, SpotifyException> oauthError, CancellationToken cancellationToken)
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
        return error?.Error is { Length: > 0 } code
            ? oauthError(SpotifyErrorReader.Truncate(code), description, response)
            : new SpotifyException($"token endpoint answered HTTP {(int)response.StatusCode} (non-OAuth body of {body.Length} chars)", response.StatusCode);
    }
}
