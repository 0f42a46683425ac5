namespace SpotifySync.Api.Tests;

/// <summary>The input rules on their own: which ids, tokens, scopes and expiry times pass.</summary>
public sealed class UserInputRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0b6f3c1e-8d9a-4c7e-9f21-3a5b7c9d1e2f")]
    [InlineData("auth0|abc123")]
    [InlineData("google-oauth2|109876543210")]
    [InlineData("a.b+c@example.com")]
    [InlineData("Xy7pQ2rT9uVw3zA1bC4dE6fG8hJ0")]
    [InlineData("us-east-1:0b6f3c1e-8d9a-4c7e-9f21-3a5b7c9d1e2f")]
    [InlineData("user_1")]
    [InlineData("a")]
    [InlineData(".a")]
    public void Ids_from_common_auth_providers_are_valid(string id) => Assert.True(UserIdRules.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData("a%2F..%2Fb")]
    [InlineData("a/b")]
    [InlineData("100%")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    [InlineData("café")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a\\b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    public void Other_ids_are_refused(string id) => Assert.False(UserIdRules.IsValid(id));

    [Fact]
    public void An_id_may_be_128_characters_not_129()
    {
        Assert.True(UserIdRules.IsValid(new string('a', 128)));
        Assert.False(UserIdRules.IsValid(new string('a', 129)));
    }

    [Theory]
    [InlineData("AQD-abc_123.xyz~+/=", true)]
    [InlineData("a b", false)]
    [InlineData("a\0", false)]
    [InlineData("é", false)]
    [InlineData("\u007f", false)]
    [InlineData("", false)]
    public void A_token_is_printable_ascii_without_spaces(string token, bool valid) =>
        Assert.Equal(valid, PrintableAscii.CheckToken("t", token, 2048) is null);

    [Theory]
    [InlineData("user-read-recently-played user-read-email", true)]
    [InlineData("", true)]
    [InlineData("a  b", false)]
    [InlineData(" a", false)]
    [InlineData("a ", false)]
    [InlineData("a\tb", false)]
    [InlineData("a\0b", false)]
    public void A_scope_is_words_of_printable_ascii_separated_by_single_spaces(string scope, bool valid) =>
        Assert.Equal(valid, PrintableAscii.CheckSpaceSeparated("scope", scope, 1024) is null);

    [Theory]
    [InlineData(-25, false)]
    [InlineData(-23, true)]
    [InlineData(1, true)]
    [InlineData(23, true)]
    [InlineData(25, false)]
    public void ExpiresAt_must_be_within_a_day_of_now(int hours, bool valid)
    {
        var request = new ConnectSpotifyRequest("refresh", "access", Now.AddHours(hours));

        Assert.Equal(valid, !request.Validate(Now).ContainsKey("expiresAt"));
    }

    [Fact]
    public void Only_the_refresh_token_is_required()
    {
        Assert.Empty(new ConnectSpotifyRequest("refresh").Validate(Now));
        Assert.Equal(["refreshToken"], new ConnectSpotifyRequest(null).Validate(Now).Keys);
    }
}
