using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotifySync.Api.Tests;

/// <summary>
/// Property tests of the input rules over real HTTP: random user ids and connect bodies, drawn from a seeded generator
/// that mixes what the rules allow with what they refuse, each judged by an oracle written from the README's words
/// (not from the API's code). A valid input must be accepted; an invalid one must get 400 problem+json with a detail;
/// nothing may get another status. The seed is in every failure message, so a failing case can be replayed.
/// </summary>
[Collection(ApiStackCollection.Name)]
public sealed class ApiInputPropertyTests(ApiStack api)
{
    /// <summary>Fixed, so CI is repeatable; <c>SPOTIFYSYNC_PROPERTY_SEED</c> draws other cases.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("SPOTIFYSYNC_PROPERTY_SEED"), out var seed) ? seed : 20261202;
    private const string IdAlphabet = "ABCXYZabcxyz0189._-@|+:";
    private const string HostileIdCharacters = "/%\\ \t\n\0\u007f\u00e9\u202e#?\"<>;,'*~!$&=()[]{}^`";

    [Fact]
    public async Task A_user_id_is_refused_with_400_exactly_when_the_documented_rule_refuses_it()
    {
        var random = new Random(Seed);
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < 400; i++)
        {
            var id = RandomId(random);
            var request = $"case {i} (seed {Seed}): GET sync-status of {JsonSerializer.Serialize(id)}";
            using var response = await api.Http.SendAsync(api.Request(HttpMethod.Get, $"api/users/{Uri.EscapeDataString(id)}/sync-status"));
            if (DocumentedRule.IsValidUserId(id))
            {
                // Never connected: the id was understood and looked up.
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, request);
                accepted++;
            }
            else if (id.Contains('\0', StringComparison.Ordinal))
            {
                // The README's one exception: Kestrel refuses a NUL in the path itself, with a bare 400.
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{request}: expected 400, got {(int)response.StatusCode}");
                refused++;
            }
            else
            {
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, request);
                refused++;
            }
        }
        // The generator must exercise both sides, or the property proves nothing.
        Assert.True(accepted > 100 && refused > 100, $"accepted {accepted}, refused {refused}");
    }

    [Fact]
    public async Task A_connect_body_is_refused_with_400_exactly_when_the_documented_rules_refuse_it()
    {
        var random = new Random(Seed + 1);
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < 300; i++)
        {
            var (body, valid) = RandomConnectBody(random);
            // A valid body connects a user whose token Spotify does not know; a few are enough (and stay far from the
            // invalid_grant storm's 10 users), the rest of the valid draws are skipped.
            if (valid && accepted == 5)
            {
                continue;
            }
            var userId = $"property-{Seed}-{i}";
            var request = $"case {i} (seed {Seed + 1}): PUT {userId} {body.ToJsonString()}";
            using var response = await api.Http.SendAsync(api.Request(HttpMethod.Put, $"api/users/{userId}/spotify",
                new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")));
            if (valid)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request}: expected 200, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                using var disconnect = await api.Http.SendAsync(api.Request(HttpMethod.Delete, $"api/users/{userId}/spotify"));
                Assert.Equal(HttpStatusCode.OK, disconnect.StatusCode);
                accepted++;
            }
            else
            {
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, request);
                using var status = await api.Http.SendAsync(api.Request(HttpMethod.Get, $"api/users/{userId}/sync-status"));
                Assert.True(status.StatusCode == HttpStatusCode.NotFound, $"{request}: a refused connect created the user");
                refused++;
            }
        }
        Assert.True(accepted == 5 && refused > 150, $"accepted {accepted}, refused {refused}");
    }

    private static string RandomId(Random random)
    {
        while (true)
        {
            var length = random.Next(10) == 0 ? random.Next(120, 140) : random.Next(1, 24);
            var hostile = random.Next(2) == 0;
            var chars = new char[length];
            for (var c = 0; c < length; c++)
            {
                chars[c] = hostile && random.Next(6) == 0
                    ? HostileIdCharacters[random.Next(HostileIdCharacters.Length)]
                    : IdAlphabet[random.Next(IdAlphabet.Length)];
            }
            var id = new string(chars);
            // "." and ".." are path segments a client collapses before sending: no request carries them as an id.
            if (id is not ("." or ".."))
            {
                return id;
            }
        }
    }

    private static (JsonObject Body, bool Valid) RandomConnectBody(Random random)
    {
        var body = new JsonObject();
        var valid = true;
        // refreshToken: required.
        switch (random.Next(8))
        {
            case 0:
                valid = false;
                break;
            default:
                var token = RandomToken(random);
                body["refreshToken"] = token;
                valid &= DocumentedRule.IsValidToken(token);
                break;
        }
        var hasAccessToken = random.Next(2) == 0;
        if (hasAccessToken)
        {
            var token = RandomToken(random);
            body["accessToken"] = token;
            valid &= DocumentedRule.IsValidToken(token);
        }
        switch (random.Next(4))
        {
            case 1:
                body["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(55);
                valid &= hasAccessToken;
                break;
            case 2:
                body["expiresAt"] = DateTimeOffset.UtcNow.AddDays(3);
                valid = false;
                break;
        }
        if (random.Next(2) == 0)
        {
            var scope = RandomScope(random);
            body["scope"] = scope;
            valid &= DocumentedRule.IsValidScope(scope);
        }
        return (body, valid);
    }

    private static string RandomToken(Random random)
    {
        var length = random.Next(12) switch
        {
            0 => 0,
            1 => random.Next(2040, 2060),
            _ => random.Next(1, 200),
        };
        var hostile = random.Next(3) == 0;
        var chars = new char[length];
        for (var c = 0; c < length; c++)
        {
            chars[c] = hostile && random.Next(20) == 0
                ? "\0\u0001\t\n \u007f\u00e9\u00a0\u202e"[random.Next(9)]
                : (char)random.Next(0x21, 0x7F);
        }
        return new string(chars);
    }

    private static string RandomScope(Random random)
    {
        var words = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(3) == 0 ? RandomToken(random) : "user-read-recently-played");
        var separator = random.Next(6) switch { 0 => "  ", 1 => "\t", _ => " " };
        var scope = string.Join(separator, words);
        return random.Next(10) == 0 ? scope + " " : scope;
    }

    /// <summary>The README's input rules, as written there.</summary>
    private static class DocumentedRule
    {
        /// <summary>1 to 128 characters: ASCII letters, digits and <c>. _ - @ | + :</c>, not only dots.</summary>
        public static bool IsValidUserId(string id) =>
            id.Length is >= 1 and <= 128
            && id.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '_' or '-' or '@' or '|' or '+' or ':')
            && id.Any(c => c != '.');

        /// <summary>1 to 2048 printable ASCII characters, 0x21 to 0x7E.</summary>
        public static bool IsValidToken(string token) => token.Length is >= 1 and <= 2048 && token.All(c => c is >= '\u0021' and <= '\u007e');

        /// <summary>Up to 1024 characters of such words separated by single spaces.</summary>
        public static bool IsValidScope(string scope) =>
            scope.Length <= 1024 && (scope.Length == 0 || scope.Split(' ').All(word => word.Length > 0 && IsValidToken(word)));
    }
}
