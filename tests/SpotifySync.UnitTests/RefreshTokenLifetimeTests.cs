using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class RefreshTokenLifetimeTests
{
    private static readonly DateTimeOffset AuthorizedAt = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_refresh_token_expires_six_months_after_authorisation()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 9, 30, 0, TimeSpan.Zero), RefreshTokenLifetime.ExpiresAt(AuthorizedAt));
    }

    [Theory]
    [InlineData(31, null, null)]
    [InlineData(30, null, 30)]
    [InlineData(20, null, 30)]
    [InlineData(20, 30, null)]
    [InlineData(7, 30, 7)]
    [InlineData(3, null, 7)]
    [InlineData(3, 7, null)]
    public void Warnings_are_due_at_30_and_7_days_once_each(int daysLeft, int? alreadyWarned, int? expected)
    {
        var now = RefreshTokenLifetime.ExpiresAt(AuthorizedAt).AddDays(-daysLeft);

        Assert.Equal(expected, RefreshTokenLifetime.WarningDue(AuthorizedAt, alreadyWarned, now));
    }

    [Fact]
    public void A_refusal_after_six_months_is_called_expired_and_before_it_revoked()
    {
        var expired = RefreshTokenLifetime.RejectionReason(AuthorizedAt, AuthorizedAt.AddMonths(6).AddMinutes(1), "invalid_grant");
        var revoked = RefreshTokenLifetime.RejectionReason(AuthorizedAt, AuthorizedAt.AddMonths(2), "invalid_grant");

        Assert.StartsWith("refresh token expired (authorised 2026-05-01", expired);
        Assert.StartsWith("refresh token revoked", revoked);
        Assert.Contains("invalid_grant", revoked);
    }
}
