using SpotifySync.Grains.Interfaces;
using SpotifySync.Grains.Users;

namespace SpotifySync.UnitTests;

public sealed class IdleUserCollectionTests
{
    [Fact]
    public void The_configured_quantum_holds_while_it_is_at_most_half_the_idle_age()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), IdleUserCollection.Quantum(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMinutes(1), IdleUserCollection.Quantum(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_short_idle_age_shortens_the_quantum_to_half_of_it_so_a_grain_stays_at_most_one_and_a_half_ages()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), IdleUserCollection.Quantum(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(10), IdleUserCollection.Quantum(TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(1)));
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_grain_whose_sync_is_expected_after_its_idle_age_leaves_now_one_whose_sync_comes_sooner_stays()
    {
        var age = TimeSpan.FromMinutes(2);
        static QueueTicket StartingAt(DateTimeOffset at) => new(Position: 5_000, AlreadyQueued: false, at, Guid.NewGuid());

        Assert.True(IdleUserCollection.LeavesBeforeItsSync(StartingAt(Now + TimeSpan.FromMinutes(10)), Now, age));
        Assert.True(IdleUserCollection.LeavesBeforeItsSync(StartingAt(Now + age + TimeSpan.FromSeconds(1)), Now, age));
        Assert.False(IdleUserCollection.LeavesBeforeItsSync(StartingAt(Now + age), Now, age));
        Assert.False(IdleUserCollection.LeavesBeforeItsSync(StartingAt(Now), Now, age));
    }
}
