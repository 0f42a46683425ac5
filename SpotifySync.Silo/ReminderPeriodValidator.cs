using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SpotifySync.Grains.Options;

namespace SpotifySync.Silo;

/// <summary>Orleans refuses reminders shorter than its minimum period: say so at start, not at the first connect.</summary>
public sealed class ReminderPeriodValidator(IOptions<ReminderOptions> reminders) : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var minimum = reminders.Value.MinimumReminderPeriod;
        return options.Interval < minimum
            ? ValidateOptionsResult.Fail($"Sync:Interval ({options.Interval}) is shorter than Orleans' minimum reminder period ({minimum}); "
                + "raise it or lower Orleans:ReminderOptions:MinimumReminderPeriod.")
            : ValidateOptionsResult.Success;
    }
}
