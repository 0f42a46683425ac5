using System.Text.RegularExpressions;

namespace SpotifySync.Api;

/// <summary>
/// The one rule for the app's user ids, used by every <c>/api/users/{userId}</c> route, the README and the OpenAPI
/// <c>pattern</c>. Ids become grain keys, database keys and URL path segments, so only characters that every client
/// sends the same way and no layer decodes or normalises are allowed: letters, digits and <c>. _ - @ | + :</c>
/// (UUIDs, <c>auth0|abc123</c>, <c>google-oauth2|123</c>, e-mail-like ids, Firebase uids, Cognito's
/// <c>region:uuid</c>). Refused: <c>%</c> (an id like <c>a%2F..%2Fb</c> is one the app can never address the way
/// it meant), <c>/</c>, whitespace, control characters, anything outside ASCII, and ids made only of dots (a
/// client resolves <c>.</c> and <c>..</c> segments away before sending).
/// </summary>
public static partial class UserIdRules
{
    public const int MaxLength = 128;

    /// <summary>ECMA-262 and .NET read it alike, so the OpenAPI document states exactly what the API enforces.</summary>
    public const string Pattern = @"^(?!\.+$)[A-Za-z0-9._@|+:-]{1,128}$";

    public const string Description =
        "1 to 128 characters: ASCII letters, digits and . _ - @ | + : (not only dots).";

    public static bool IsValid(string? userId) => userId is not null && ValidId().IsMatch(userId);

    public static Dictionary<string, string[]>? Validate(string userId) =>
        IsValid(userId) ? null : new() { ["userId"] = [$"userId must be {Description}"] };

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ValidId();
}
