using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpotifySync.Api.Tests;

/// <summary>
/// The OpenAPI document against the API's behaviour: every status a route answers is declared for it, the security
/// scheme is the header the API checks, and what the schema allows is accepted while what it forbids gets a declared 4xx.
/// </summary>
[Collection(ApiStackCollection.Name)]
public sealed class ApiOpenApiDocumentTests(ApiStack api)
{
    private static readonly string[] EveryApiRouteDeclares = ["401", "413", "429", "503"];

    [Fact]
    public async Task Every_api_operation_requires_the_api_key_header_and_has_an_operation_id()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());

        foreach (var (path, method, operation) in Operations(document))
        {
            Assert.Contains(operation.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("ApiKey", out _));
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("operationId").GetString()), $"{method} {path}");
            var declared = Declared(operation);
            Assert.Superset(EveryApiRouteDeclares.ToHashSet(), declared);
            foreach (var status in declared.Where(s => s[0] is '4' or '5'))
            {
                Assert.True(operation.GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _),
                    $"{method} {path} {status} is not declared as problem+json");
            }
        }
    }

    [Fact]
    public async Task The_connect_body_declares_only_the_refresh_token_as_required_and_its_limits()
    {
        var document = await DocumentAsync();
        var schema = ConnectBodySchema(document);

        Assert.Equal(new[] { "refreshToken" }, schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!));
        var properties = schema.GetProperty("properties");
        foreach (var token in new[] { "refreshToken", "accessToken" })
        {
            Assert.Equal(ConnectSpotifyRequest.MaxTokenLength, properties.GetProperty(token).GetProperty("maxLength").GetInt32());
            Assert.Equal(PrintableAscii.TokenPattern, properties.GetProperty(token).GetProperty("pattern").GetString());
        }
        Assert.Equal("string", properties.GetProperty("refreshToken").GetProperty("type").GetString());
        Assert.Equal(ConnectSpotifyRequest.MaxScopeLength, properties.GetProperty("scope").GetProperty("maxLength").GetInt32());
        Assert.Equal(PrintableAscii.SpaceSeparatedPattern, properties.GetProperty("scope").GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task States_outcomes_and_triggers_are_enums_of_the_words_the_api_sends()
    {
        var document = await DocumentAsync();
        var status = document.GetProperty("components").GetProperty("schemas").GetProperty("SyncStatusResponse").GetProperty("properties");

        Assert.Equal(new[] { "not_connected", "active", "needs_reconnect", "disconnected", "quarantined" }, Words(status.GetProperty("state")));
        Assert.Contains("succeeded", Words(status.GetProperty("lastSyncOutcome")));
        Assert.Contains("needs_reconnect", Words(status.GetProperty("lastSyncOutcome")));
        Assert.Contains("manual", Words(status.GetProperty("lastTrigger")));
        // Nullable in the responses, so null is one of the values.
        Assert.Contains(status.GetProperty("lastSyncOutcome").GetProperty("enum").EnumerateArray(), e => e.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task The_statuses_each_route_answers_to_bad_input_are_declared_for_it()
    {
        var document = await DocumentAsync();
        foreach (var (method, path) in ApiBadInputTests.Routes)
        {
            var operation = OperationFor(document, method, path);
            var declared = Declared(operation);
            foreach (var request in BadRequests(method, path))
            {
                using var message = request();
                var description = $"{message.Method} {message.RequestUri}";
                using var response = await api.Http.SendAsync(message);
                var status = ((int)response.StatusCode).ToString();
                Assert.True(response.StatusCode < HttpStatusCode.InternalServerError, $"{description}: {status}");
                Assert.True(declared.Contains(status), $"{description} answered {status}, which the document does not declare ({string.Join(", ", declared)})");
            }
        }
    }

    [Fact]
    public async Task Ids_the_documented_pattern_allows_are_accepted_and_ids_it_refuses_get_a_declared_400()
    {
        var document = await DocumentAsync();
        var operation = OperationFor(document, HttpMethod.Get, "api/users/x/sync-status");
        var schema = operation.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "userId").GetProperty("schema");
        var pattern = new Regex(schema.GetProperty("pattern").GetString()!);
        Assert.Equal(UserIdRules.MaxLength, schema.GetProperty("maxLength").GetInt32());

        // Generated from the pattern's alphabet: every allowed character, at both ends of the length range.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@|+:-";
        string[] allowed = [.. alphabet.Select(c => $"id{c}x"), "a", new string('z', UserIdRules.MaxLength), "auth0|abc123", "a.b+c@example.com",
            "0b6f3c1e-8d9a-4c7e-9f21-3a5b7c9d1e2f", "Xy7pQ2rT9uVw3zA1bC4dE6fG8hJ0", "us-east-1:0b6f3c1e-8d9a-4c7e-9f21-3a5b7c9d1e2f"];
        foreach (var id in allowed)
        {
            Assert.Matches(pattern, id);
            using var response = await api.Http.SendAsync(api.Request(HttpMethod.Get, $"api/users/{Uri.EscapeDataString(id)}/sync-status"));
            // Accepted: the id is looked up (404 for a user never connected), not refused as malformed.
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, id);
        }
        foreach (var encoded in ApiBadInputTests.HostileIds)
        {
            Assert.DoesNotMatch(pattern, Uri.UnescapeDataString(encoded));
            using var response = await api.Http.SendAsync(api.Request(HttpMethod.Get, $"api/users/{encoded}/sync-status"));
            Assert.Contains(((int)response.StatusCode).ToString(), Declared(operation));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_connect_body_built_to_the_schema_limits_is_accepted_and_one_past_them_is_refused_with_a_declared_400()
    {
        var document = await DocumentAsync();
        var properties = ConnectBodySchema(document).GetProperty("properties");
        var tokenLength = properties.GetProperty("refreshToken").GetProperty("maxLength").GetInt32();
        var scopeLength = properties.GetProperty("scope").GetProperty("maxLength").GetInt32();
        var printable = string.Concat(Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => (char)c));
        var longToken = string.Concat(Enumerable.Repeat(printable, tokenLength / printable.Length + 1))[..tokenLength];
        var longScope = string.Concat(Enumerable.Repeat("scope-word ", scopeLength))[..scopeLength].TrimEnd();
        Assert.Matches(properties.GetProperty("scope").GetProperty("pattern").GetString()!, longScope);

        const string userId = "openapi-limits";
        var user = api.Cluster.Spotify.AddUser(userId);
        using (var accepted = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify", JsonContent.Create(new
               {
                   refreshToken = user.RefreshToken, accessToken = longToken, expiresAt = DateTimeOffset.UtcNow.AddMinutes(50), scope = longScope,
               }))))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        var declared = Declared(OperationFor(document, HttpMethod.Put, "api/users/x/spotify"));
        foreach (var body in new object[]
        {
            new { refreshToken = longToken + "x" },
            new { refreshToken = "r", accessToken = longToken + "x" },
            new { refreshToken = "r", scope = longScope + "x" },
            new { accessToken = "a" },
        })
        {
            using var refused = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}-refused/spotify", JsonContent.Create(body)));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("400", declared);
        }
    }

    private IEnumerable<Func<HttpRequestMessage>> BadRequests(HttpMethod method, string path)
    {
        var hostile = path.Replace("bad-input-target", "a%2F..%2Fb", StringComparison.Ordinal);
        yield return () => api.Request(method, path, withKey: false);
        yield return () => api.Request(method, path, new StringContent(new string('x', 17 * 1024), Encoding.UTF8, "application/json"));
        yield return () => api.Request(method, hostile, method == HttpMethod.Put ? JsonContent.Create(new { refreshToken = "r" }) : null);
        yield return () => api.Request(method, path, new StringContent("{ \"refreshToken\": ", Encoding.UTF8, "application/json"));
        yield return () => api.Request(method, path, new StringContent("{\"refreshToken\":\"r\"}", Encoding.UTF8, "text/plain"));
        yield return () => api.Request(method, path, new StringContent("{\"refreshToken\":\"\\u0000\"}", Encoding.UTF8, "application/json"));
        yield return () => api.Request(method, path + "?wait=maybe");
        yield return () => api.Request(method, path);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await api.Http.GetAsync("openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        where path.Name.StartsWith("/api/", StringComparison.Ordinal)
        from operation in path.Value.EnumerateObject()
        where operation.Name is "get" or "put" or "post" or "delete" or "patch"
        select (path.Name, operation.Name, operation.Value);

    /// <summary>The operation a concrete request path (relative, as the tests send it) is served by.</summary>
    private static JsonElement OperationFor(JsonElement document, HttpMethod method, string requestPath)
    {
        var segments = ("/" + requestPath).Split('/');
        var (_, _, operation) = Operations(document).Single(o =>
        {
            var template = o.Path.Split('/');
            return o.Method == method.Method.ToLowerInvariant() && template.Length == segments.Length
                && template.Zip(segments).All(p => p.First.StartsWith('{') || p.First == p.Second);
        });
        return operation;
    }

    private static HashSet<string> Declared(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();

    private static JsonElement ConnectBodySchema(JsonElement document)
    {
        var operation = OperationFor(document, HttpMethod.Put, "api/users/x/spotify");
        var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        return schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
    }

    private static string[] Words(JsonElement property) =>
        property.GetProperty("enum").EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray();
}
