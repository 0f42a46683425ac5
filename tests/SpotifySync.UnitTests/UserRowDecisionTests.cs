using System.Net.Sockets;
using Npgsql;
using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Spotify;
using SpotifySync.Grains.Storage;
using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

/// <summary>The pure decisions behind a user's row: merging after a conflict, retry pacing, schedule arithmetic, outcomes.</summary>
public sealed class UserRowDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static SpotifyUserRecord User(long version = 1) => new()
    {
        UserId = "u1",
        State = SpotifyUserStates.Active,
        RefreshTokenEncrypted = "rotated",
        LatestPlayedAt = Now.AddMinutes(-10),
        TotalTracks = 10,
        TotalSyncs = 3,
        GapsDetected = 1,
        LastSyncOutcome = "failed",
        Version = version,
    };

    [Fact]
    public void A_rebased_row_keeps_our_tokens_and_state_and_the_larger_cursor_and_counters()
    {
        var stored = User(version: 7) with
        {
            RefreshTokenEncrypted = "stale",
            State = SpotifyUserStates.Active,
            LatestPlayedAt = Now,
            TotalTracks = 60,
            TotalSyncs = 4,
            GapsDetected = 0,
            LastSyncOutcome = "succeeded",
        };

        var rebased = User().RebasedOn(stored);

        Assert.Equal(7, rebased.Version);
        Assert.Equal("rotated", rebased.RefreshTokenEncrypted);
        Assert.Equal("failed", rebased.LastSyncOutcome);
        Assert.Equal(Now, rebased.LatestPlayedAt);
        Assert.Equal(60, rebased.TotalTracks);
        Assert.Equal(4, rebased.TotalSyncs);
        Assert.Equal(1, rebased.GapsDetected);
    }

    [Fact]
    public void A_row_deleted_behind_our_back_is_inserted_again()
    {
        Assert.Equal(0, User(version: 5).RebasedOn(null).Version);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 15)]
    [InlineData(40, 15)]
    public void Save_retries_start_at_a_second_and_double_up_to_the_maximum(int failedAttempts, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), SaveRetryDelay.After(failedAttempts, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public void A_reminder_tick_whose_enqueue_fails_is_tried_again_for_15_seconds_then_given_up()
    {
        var delays = Enumerable.Range(1, ReminderEnqueueRetry.MaxAttempts).Select(ReminderEnqueueRetry.DelayAfter).ToArray();
        Assert.Equal([1, 2, 4, 8], delays.TakeWhile(d => d is not null).Select(d => d!.Value.TotalSeconds));
        Assert.Null(delays[^1]);
        Assert.Null(ReminderEnqueueRetry.DelayAfter(ReminderEnqueueRetry.MaxAttempts + 1));
    }

    [Fact]
    public void The_next_due_time_is_the_first_anchor_period_after_now()
    {
        var interval = TimeSpan.FromHours(1);
        Assert.Null(SyncSchedule.NextDue(null, interval, Now));
        Assert.Equal(Now.AddMinutes(5), SyncSchedule.NextDue(Now.AddMinutes(5), interval, Now));
        Assert.Equal(Now.AddMinutes(20), SyncSchedule.NextDue(Now.AddMinutes(-100), interval, Now));
        Assert.Equal(Now.AddHours(1), SyncSchedule.NextDue(Now, interval, Now));
    }

    [Fact]
    public void Scheduled_syncs_back_off_only_after_the_configured_failures_in_a_row_and_never_beyond_the_maximum()
    {
        var options = new SyncOptions { Interval = TimeSpan.FromHours(1), FailureBackoffAfter = 3, MaxFailureBackoff = TimeSpan.FromHours(6) };
        var failing = User() with { LastSyncCompletedAt = Now };

        Assert.Null(SyncSchedule.BackoffUntil(failing with { ConsecutiveFailures = 2 }, options));
        Assert.Equal(Now + TimeSpan.FromHours(2) - TimeSpan.FromMinutes(6), SyncSchedule.BackoffUntil(failing with { ConsecutiveFailures = 3 }, options));
        Assert.Equal(Now + TimeSpan.FromHours(6) - TimeSpan.FromMinutes(6), SyncSchedule.BackoffUntil(failing with { ConsecutiveFailures = 30 }, options));
    }

    [Fact]
    public void A_first_due_time_falls_inside_the_interval_but_never_within_a_minute_of_the_connect()
    {
        var hour = TimeSpan.FromHours(1);
        Assert.Equal(TimeSpan.FromMinutes(30), SyncSchedule.FirstDue(hour, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(1), SyncSchedule.FirstDue(hour, 1 / 60.0));
        // Sooner than a minute: the same point of the next interval, so the users' due times stay evenly spread.
        Assert.Equal(hour, SyncSchedule.FirstDue(hour, 0));
        Assert.Equal(TimeSpan.FromSeconds(30) + hour, SyncSchedule.FirstDue(hour, 0.5 / 60));
        // Short (test) intervals: half the interval.
        Assert.Equal(TimeSpan.FromSeconds(12), SyncSchedule.FirstDue(TimeSpan.FromSeconds(10), 0.2));
        Assert.Equal(TimeSpan.FromSeconds(6), SyncSchedule.FirstDue(TimeSpan.FromSeconds(10), 0.6));
    }

    [Fact]
    public void Outcomes_count_failures_in_a_row_and_name_their_sync()
    {
        var syncId = Guid.NewGuid();
        var failed = UserRecordChanges.WithOutcome(User() with { ConsecutiveFailures = 2 }, SyncOutcomeKind.Failed, "boom", SyncTrigger.Manual, syncId, Now, Now, TimeSpan.FromHours(1));
        Assert.Equal(3, failed.ConsecutiveFailures);
        Assert.Equal(syncId, failed.LastSyncId);
        Assert.Equal("manual", failed.LastSyncTrigger);

        Assert.Equal(3, UserRecordChanges.WithOutcome(failed, SyncOutcomeKind.Throttled, "429", SyncTrigger.Manual, syncId, Now, Now, TimeSpan.FromHours(1)).ConsecutiveFailures);
        Assert.Equal(0, UserRecordChanges.WithOutcome(failed, SyncOutcomeKind.Succeeded, null, SyncTrigger.Manual, syncId, Now, Now, TimeSpan.FromHours(1)).ConsecutiveFailures);
    }

    [Fact]
    public void Dropping_tokens_keeps_the_plays_cursor_and_counters()
    {
        var erased = UserRecordChanges.WithoutTokens(User(), SpotifyUserStates.NeedsReconnect, "refresh token revoked");
        Assert.Null(erased.RefreshTokenEncrypted);
        Assert.Null(erased.AccessTokenEncrypted);
        Assert.Null(erased.ScheduleAnchor);
        Assert.Equal(SpotifyUserStates.NeedsReconnect, erased.State);
        Assert.Equal(User().LatestPlayedAt, erased.LatestPlayedAt);
        Assert.Equal(10, erased.TotalTracks);
    }

    [Fact]
    public void A_grant_without_a_rotated_refresh_token_keeps_the_current_one()
    {
        var grant = new AccessTokenGrant("access", Now.AddHours(1), null, null);
        var kept = UserRecordChanges.WithGrant(User() with { Scope = "user-read-recently-played" }, "access-enc", null, grant);
        Assert.Equal("rotated", kept.RefreshTokenEncrypted);
        Assert.Equal("user-read-recently-played", kept.Scope);
        Assert.Equal("new-enc", UserRecordChanges.WithGrant(User(), "access-enc", "new-enc", grant).RefreshTokenEncrypted);
    }

    [Fact]
    public void Only_an_unreachable_or_stopping_database_counts_as_unavailable()
    {
        Assert.True(StorageFailure.IsUnavailable(new NpgsqlException("Failed to connect", new SocketException())));
        Assert.True(StorageFailure.IsUnavailable(new InvalidOperationException("wrapped", new SocketException())));
        Assert.True(StorageFailure.IsUnavailable(new PostgresException("terminating connection", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown)));
        Assert.False(StorageFailure.IsUnavailable(new PostgresException("invalid byte sequence", "ERROR", "ERROR", PostgresErrorCodes.CharacterNotInRepertoire)));
        Assert.False(StorageFailure.IsUnavailable(new ConcurrencyConflictException("u1", 3)));
    }
}
