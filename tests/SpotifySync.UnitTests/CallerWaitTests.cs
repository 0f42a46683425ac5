using Microsoft.Extensions.Time.Testing;
using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class CallerWaitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Work_done_within_the_wait_is_the_callers_to_await()
    {
        var clock = new FakeTimeProvider();
        var work = new TaskCompletionSource();
        var waiting = CallerWait.FinishedWithinAsync(work.Task, Wait, clock, _ => Assert.Fail("nothing failed"));

        clock.Advance(TimeSpan.FromSeconds(4));
        work.SetResult();

        Assert.True(await waiting);
    }

    [Fact]
    public async Task Work_still_running_after_the_wait_goes_on_and_a_later_failure_is_reported_not_lost()
    {
        var clock = new FakeTimeProvider();
        var work = new TaskCompletionSource();
        Exception? failedLater = null;
        var waiting = CallerWait.FinishedWithinAsync(work.Task, Wait, clock, e => failedLater = e);

        clock.Advance(Wait - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await waiting);
        Assert.False(work.Task.IsCompleted);

        work.SetException(new TimeoutException("token endpoint answer not received in full"));
        Assert.IsType<TimeoutException>(failedLater);
    }
}
