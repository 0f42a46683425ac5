using System.Net;
using System.Text.Json;

namespace SpotifySync.Api.Tests;

/// <summary>What every refused request must look like: the expected status, problem+json, a detail that says why.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string request)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{request}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{request}: answered {response.Content.Headers.ContentType?.MediaType ?? "no content type"} instead of problem+json");
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.True(problem.TryGetProperty("detail", out var detail) && !string.IsNullOrWhiteSpace(detail.GetString()),
            $"{request}: the problem has no detail: {body}");
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
