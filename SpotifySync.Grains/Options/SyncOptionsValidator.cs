using Microsoft.Extensions.Options;

namespace SpotifySync.Grains.Options;

/// <summary>Rules that attributes cannot express; checked at start so a bad value stops the silo, not a sync.</summary>
public sealed class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    // Orleans refuses reminder periods under its MinimumReminderPeriod (1 minute in production); tests lower both.
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var failures = new List<string>();
        if (options.Interval <= TimeSpan.Zero)
        {
            failures.Add($"Sync:Interval must be positive (got {options.Interval}).");
        }
        if (options.SpacingBetweenUsers < TimeSpan.Zero || options.SpacingBetweenUsers > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Sync:SpacingBetweenUsers must be between 00:00:00 and 00:10:00 (got {options.SpacingBetweenUsers}).");
        }
        if (options.StartClaimPatience > options.StartClaimTimeout)
        {
            failures.Add($"Sync:StartClaimPatience ({options.StartClaimPatience}) must not be longer than Sync:StartClaimTimeout ({options.StartClaimTimeout}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
