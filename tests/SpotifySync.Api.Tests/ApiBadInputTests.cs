using System.Net;
using System.Net.Http.Json;
using System.Text;
using SpotifySync.Testing;

namespace SpotifySync.Api.Tests;

/// <summary>
/// The bad-input corpus over real HTTP: every route, with missing and wrong keys, hostile ids, malformed, empty and
/// oversized bodies, NUL, control and non-ASCII characters in every field and in the path, and wrong content types.
/// Each gets the expected 4xx as problem+json with a detail; none gets a 5xx; a normal user connects and syncs after.
/// </summary>
[Collection(ApiStackCollection.Name)]
public sealed class ApiBadInputTests(ApiStack api)
{
    private const string User = "bad-input-target";

    /// <summary>Every /api route, with a valid user id where it has one.</summary>
    public static readonly (HttpMethod Method, string Path)[] Routes =
    [
        (HttpMethod.Put, $"api/users/{User}/spotify"),
        (HttpMethod.Delete, $"api/users/{User}/spotify"),
        (HttpMethod.Post, $"api/users/{User}/sync"),
        (HttpMethod.Get, $"api/users/{User}/sync-status"),
        (HttpMethod.Post, "api/spotify/sync-all-users"),
        (HttpMethod.Get, "api/sync/status"),
    ];

    /// <summary>Ids the rule refuses, as they appear in the URL (already percent-encoded where a client would).</summary>
    public static readonly string[] HostileIds =
    [
        "a%2F..%2F..%2Fb", "a%2Fb", "%25", "100%25", "a%20b", "a+%20", "%09", "a%0Ab", "a%0Db", "%01", "a%1Fb", "%7F",
        "%C3%A9", "caf%C3%A9", "%E2%80%AE", "...", new string('a', 129), "a%5Cb", "a%22b", "a%3Cscript%3E", "a;b", "a,b", "a%27b",
    ];

    public static readonly string[] HostileStrings =
    [
        "\0", "a\0b", "\u0001", "tab\there", "new\nline", "\r\n", "caf\u00e9", "\u202e", "\u00a0", "emoji\ud83d\ude00", "\u007f", "",
    ];

    [Fact]
    public async Task Without_a_known_key_every_route_answers_401_whatever_the_body()
    {
        foreach (var (method, path) in Routes)
        {
            foreach (var key in new[] { null, "", "wrong-key-0123456789", ApiStack.ApiKey.ToUpperInvariant(), ApiStack.ApiKey[..^1] })
            {
                foreach (var body in Bodies())
                {
                    using var request = api.Request(method, path, body(), withKey: false);
                    if (key is not null)
                    {
                        request.Headers.TryAddWithoutValidation("X-Api-Key", key);
                    }
                    using var response = await api.Http.SendAsync(request);
                    await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, $"{method} {path} with key '{key}'");
                }
            }
        }
    }

    [Fact]
    public async Task A_hostile_user_id_gets_400_problem_json_at_every_user_route_and_creates_no_user()
    {
        foreach (var id in HostileIds)
        {
            foreach (var (method, template) in Routes.Where(r => r.Path.Contains(User, StringComparison.Ordinal)))
            {
                var path = template.Replace(User, id, StringComparison.Ordinal);
                using var response = await api.Http.SendAsync(api.Request(method, path,
                    method == HttpMethod.Put ? JsonContent.Create(new { refreshToken = "some-refresh-token" }) : null));
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"{method} {path}");
            }
        }
        Assert.Equal(0, await CountUsersAsync("a%"));
    }

    /// <summary>
    /// Kestrel itself refuses a decoded NUL in the path while parsing the request line, before any of our code runs, so
    /// this one 400 carries no problem+json (nothing in the app can answer it). It is still a 400, never a 5xx.
    /// </summary>
    [Theory]
    [InlineData("%00")]
    [InlineData("a%00b")]
    public async Task A_nul_in_the_path_is_refused_with_400_by_the_server_itself(string id)
    {
        foreach (var (method, template) in Routes.Where(r => r.Path.Contains(User, StringComparison.Ordinal)))
        {
            using var response = await api.Http.SendAsync(api.Request(method, template.Replace(User, id, StringComparison.Ordinal),
                method == HttpMethod.Put ? JsonContent.Create(new { refreshToken = "some-refresh-token" }) : null));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_empty_user_id_or_an_unknown_route_under_api_gets_404_problem_json()
    {
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "api/users//sync"), (HttpMethod.Get, "api/users/x/unknown"), (HttpMethod.Get, "api/nothing-here"),
            (HttpMethod.Get, "api/users"), (HttpMethod.Patch, "api/sync/status-of-nothing"),
        })
        {
            using var response = await api.Http.SendAsync(api.Request(method, path));
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, $"{method} {path}");
        }
    }

    [Fact]
    public async Task A_method_a_route_does_not_take_gets_405_problem_json()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Patch, $"api/users/{User}/spotify"), (HttpMethod.Get, $"api/users/{User}/sync"),
                     (HttpMethod.Delete, "api/sync/status") })
        {
            using var response = await api.Http.SendAsync(api.Request(method, path));
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, $"{method} {path}");
        }
    }

    [Fact]
    public async Task A_hostile_string_in_any_connect_field_gets_400_problem_json_naming_the_field()
    {
        foreach (var field in new[] { "refreshToken", "accessToken", "scope" })
        {
            foreach (var value in HostileStrings.Where(v => !(field == "scope" && v == "")))
            {
                var body = new Dictionary<string, object?> { ["refreshToken"] = "good-refresh-token", [field] = value };
                if (field == "accessToken")
                {
                    body["expiresAt"] = DateTimeOffset.UtcNow.AddHours(1);
                }
                using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{User}-{field}/spotify", JsonContent.Create(body)));
                var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"{field} = {Escape(value)}");
                Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} = {Escape(value)}: {problem}");
            }
        }
        Assert.Equal(0, await CountUsersAsync($"{User}-"));
    }

    [Fact]
    public async Task A_hostile_string_as_expiresAt_gets_400_problem_json()
    {
        foreach (var value in HostileStrings.Append("2026-13-45T99:00:00Z").Append("1e308"))
        {
            var body = new Dictionary<string, object?> { ["refreshToken"] = "good-refresh-token", ["accessToken"] = "good-access-token", ["expiresAt"] = value };
            using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{User}-expiry/spotify", JsonContent.Create(body)));
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"expiresAt = {Escape(value)}");
        }
        Assert.Equal(0, await CountUsersAsync($"{User}-expiry"));
    }

    [Fact]
    public async Task A_client_that_accepts_only_html_still_gets_problem_json()
    {
        using var request = api.Request(HttpMethod.Get, "api/sync/status", withKey: false);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await api.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "Accept: text/html");
    }

    [Theory]
    [InlineData("{\"refreshToken\":\"r\",\"scope\":\"a  b\"}", "scope")]
    [InlineData("{\"refreshToken\":\"r\",\"scope\":\" a\"}", "scope")]
    [InlineData("{\"refreshToken\":\"r\",\"accessToken\":\"a\",\"expiresAt\":\"0001-01-01T00:00:00Z\"}", "expiresAt")]
    [InlineData("{\"refreshToken\":\"r\",\"accessToken\":\"a\",\"expiresAt\":\"9999-12-31T00:00:00Z\"}", "expiresAt")]
    [InlineData("{\"refreshToken\":\"r\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}", "expiresAt")]
    [InlineData("{\"refreshToken\":\"\"}", "refreshToken")]
    [InlineData("{\"refreshToken\":null}", "refreshToken")]
    [InlineData("{}", "refreshToken")]
    public async Task An_invalid_connect_body_gets_400_naming_the_field(string json, string field)
    {
        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{User}-body/spotify",
            new StringContent(json, Encoding.UTF8, "application/json")));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, json);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Tokens_longer_than_the_limit_get_400_and_a_body_over_16_KB_gets_413()
    {
        var tooLong = new string('t', ConnectSpotifyRequest.MaxTokenLength + 1);
        using (var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{User}-long/spotify",
                   JsonContent.Create(new { refreshToken = tooLong }))))
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "a refresh token over the limit");
        }

        var oversized = "{\"refreshToken\":\"" + new string('t', 17 * 1024) + "\"}";
        foreach (var (method, path) in Routes)
        {
            // With a length announced, and chunked (no length): both are refused before binding.
            foreach (var chunked in new[] { false, true })
            {
                var content = new StringContent(oversized, Encoding.UTF8, "application/json");
                HttpContent body = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(oversized))) : content;
                body.Headers.ContentType = new("application/json");
                using var request = api.Request(method, path, body);
                request.Headers.TransferEncodingChunked = chunked;
                using var response = await api.Http.SendAsync(request);
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, $"{method} {path} chunked={chunked}");
            }
        }
    }

    [Theory]
    [InlineData("{ \"refreshToken\": ", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("not json at all", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2, 3]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"refreshToken\": 42}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"refreshToken\":\"r\",\"accessToken\":\"a\",\"expiresAt\":\"tomorrow\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"refreshToken\": \"a\u0000b\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"refreshToken\":\"r\"}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("refreshToken=r", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("{\"refreshToken\":\"r\"}", "application/xml", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_body_that_cannot_be_read_gets_a_problem_json_that_says_why(string body, string contentType, HttpStatusCode expected)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new(contentType);
        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{User}-unreadable/spotify", content));

        await ProblemAssert.IsProblemAsync(response, expected, $"{contentType}: {Escape(body)}");
    }

    [Fact]
    public async Task A_connect_without_any_body_gets_400_problem_json_saying_so()
    {
        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{User}-nobody/spotify"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "no body");
        Assert.Contains("has none", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("%00")]
    [InlineData("tru%C3%A9")]
    public async Task A_bad_query_value_gets_400_problem_json(string wait)
    {
        using var response = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{User}/sync?wait={wait}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"wait={wait}");
        Assert.Contains("wait", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task After_the_whole_corpus_a_normal_user_still_connects_and_syncs()
    {
        await Without_a_known_key_every_route_answers_401_whatever_the_body();
        await A_hostile_user_id_gets_400_problem_json_at_every_user_route_and_creates_no_user();
        await A_hostile_string_in_any_connect_field_gets_400_problem_json_naming_the_field();
        await Tokens_longer_than_the_limit_get_400_and_a_body_over_16_KB_gets_413();

        foreach (var id in new[] { "0b6f3c1e-8d9a-4c7e-9f21-3a5b7c9d1e2f", "auth0|abc123", "a.b+c@example.com", "Xy7pQ2rT9uVw3zA1bC4dE6fG8hJ0" })
        {
            var user = api.Cluster.Spotify.AddUser(id);
            using var connect = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{Uri.EscapeDataString(id)}/spotify",
                JsonContent.Create(new { refreshToken = user.RefreshToken, scope = "user-read-recently-played user-read-email" })));
            Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
            using var sync = await api.Http.SendAsync(api.Request(HttpMethod.Post, $"api/users/{Uri.EscapeDataString(id)}/sync?wait=true"));
            Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
            Assert.Equal(api.Cluster.Spotify.PlaysOf(id).Count, await api.Cluster.Database.CountAsync(id));
        }
    }

    private static IEnumerable<Func<HttpContent?>> Bodies() =>
    [
        () => null,
        () => new StringContent("{ \"refreshToken\": ", Encoding.UTF8, "application/json"),
        () => new StringContent("\0\0\0", Encoding.UTF8, "text/plain"),
        () => new ByteArrayContent(new byte[20 * 1024]),
    ];

    private async Task<long> CountUsersAsync(string prefix)
    {
        await using var command = api.Cluster.DataSource.CreateCommand("SELECT count(*) FROM spotify_users WHERE starts_with(user_id, $1)");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = prefix });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Escape(string value) => string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
