using SpotifySync.Grains.Options;

namespace SpotifySync.UnitTests;

public sealed class SyncOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new SyncOptionsValidator().Validate(null, new SyncOptions()).Succeeded);
    }

    [Fact]
    public void A_zero_interval_is_refused_with_the_key_named()
    {
        var result = new SyncOptionsValidator().Validate(null, new SyncOptions { Interval = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Contains("Sync:Interval", result.FailureMessage);
    }

    [Fact]
    public void A_negative_spacing_is_refused_with_the_key_named()
    {
        var result = new SyncOptionsValidator().Validate(null, new SyncOptions { SpacingBetweenUsers = TimeSpan.FromSeconds(-1) });

        Assert.True(result.Failed);
        Assert.Contains("Sync:SpacingBetweenUsers", result.FailureMessage);
    }

    [Fact]
    public void A_claim_patience_longer_than_the_claim_timeout_is_refused_with_both_keys_named()
    {
        var result = new SyncOptionsValidator().Validate(null,
            new SyncOptions { StartClaimPatience = TimeSpan.FromSeconds(20), StartClaimTimeout = TimeSpan.FromSeconds(10) });

        Assert.True(result.Failed);
        Assert.Contains("Sync:StartClaimPatience", result.FailureMessage);
        Assert.Contains("Sync:StartClaimTimeout", result.FailureMessage);
    }
}
