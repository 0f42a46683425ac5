using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class AccessTokenFreshnessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3600, true)]
    [InlineData(301, true)]
    [InlineData(300, true)]
    [InlineData(299, false)]
    [InlineData(0, false)]
    [InlineData(-60, false)]
    public void A_token_is_usable_with_at_least_five_minutes_left(int secondsLeft, bool usable)
    {
        Assert.Equal(usable, AccessTokenFreshness.IsUsable(Now.AddSeconds(secondsLeft), Now));
    }

    [Fact]
    public void A_token_without_a_known_expiry_is_never_usable()
    {
        Assert.False(AccessTokenFreshness.IsUsable(null, Now));
    }
}
