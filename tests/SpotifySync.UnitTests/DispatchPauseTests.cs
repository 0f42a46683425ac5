using SpotifySync.Grains.Coordination;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;

namespace SpotifySync.UnitTests;

public sealed class DispatchPauseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly SyncOptions Options = new()
    {
        Interval = TimeSpan.FromHours(1),
        DefaultRetryAfter = TimeSpan.FromSeconds(30),
        MaxDefaultRetryAfter = TimeSpan.FromMinutes(2),
        CredentialsRejectedPause = TimeSpan.FromMinutes(5),
    };

    [Fact]
    public void A_rate_limit_pauses_for_its_retry_after_and_ends_once()
    {
        var pause = new DispatchPause();
        var (wait, kind, quota) = pause.Throttled("u1", TimeSpan.FromSeconds(7), quotaExceeded: false, Now, Options);

        Assert.Equal((TimeSpan.FromSeconds(7), DispatchPauseKind.RateLimited, false), (wait, kind, quota));
        Assert.True(pause.IsPaused(Now + TimeSpan.FromSeconds(6)));
        Assert.False(pause.Ended(Now + TimeSpan.FromSeconds(6)));
        Assert.True(pause.Ended(Now + TimeSpan.FromSeconds(7)));
        Assert.False(pause.Ended(Now + TimeSpan.FromSeconds(8)));
        Assert.Null(pause.Reason);
    }

    [Fact]
    public void Without_retry_after_the_default_doubles_per_429_in_a_row_up_to_the_maximum_and_a_success_resets_it()
    {
        var pause = new DispatchPause();
        Assert.Equal(TimeSpan.FromSeconds(30), pause.Throttled("u", null, false, Now, Options).Wait);
        Assert.Equal(TimeSpan.FromSeconds(60), pause.Throttled("u", null, false, Now, Options).Wait);
        Assert.Equal(TimeSpan.FromSeconds(120), pause.Throttled("u", null, false, Now, Options).Wait);
        Assert.Equal(TimeSpan.FromSeconds(120), pause.Throttled("u", null, false, Now, Options).Wait);
        pause.Succeeded();
        Assert.Equal(TimeSpan.FromSeconds(30), pause.Throttled("u", null, false, Now, Options).Wait);
    }

    [Fact]
    public void Quota_exhaustion_is_told_apart_by_its_reason_or_a_retry_after_beyond_the_interval_and_starts_one_episode()
    {
        var pause = new DispatchPause();
        var first = pause.Throttled("u1", TimeSpan.FromHours(3), quotaExceeded: false, Now, Options);
        var second = pause.Throttled("u2", TimeSpan.FromSeconds(10), quotaExceeded: true, Now, Options);

        Assert.Equal(DispatchPauseKind.QuotaExceeded, first.Kind);
        Assert.True(first.NewQuotaEpisode);
        Assert.Equal(DispatchPauseKind.QuotaExceeded, second.Kind);
        Assert.False(second.NewQuotaEpisode);
        // The shorter pause does not cut the longer one short.
        Assert.Equal(Now + TimeSpan.FromHours(3), pause.Until);
        Assert.Contains("quota", pause.Reason);

        pause.Ended(Now + TimeSpan.FromHours(3));
        Assert.True(pause.Throttled("u3", null, quotaExceeded: true, Now + TimeSpan.FromHours(3), Options).NewQuotaEpisode);
    }

    [Fact]
    public void Rejected_credentials_pause_for_the_configured_time()
    {
        var pause = new DispatchPause();
        Assert.Equal(TimeSpan.FromMinutes(5), pause.CredentialsRejected(Now, Options));
        Assert.Equal(DispatchPauseKind.CredentialsRejected, pause.Kind);
        Assert.Contains("invalid_client", pause.Reason);
    }
}
