using Microsoft.Extensions.Options;

namespace SpotifySync.Api;

/// <summary>An API without keys would be open to anyone: refuse to start, except in Development.</summary>
public sealed class ApiOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (!environment.IsDevelopment() && !options.Keys.Any(k => !string.IsNullOrWhiteSpace(k)))
        {
            failures.Add("Api:Keys needs at least one key (environment variable Api__Keys__0) outside Development.");
        }
        if (options.Keys.Any(k => k is { Length: > 0 and < 16 }))
        {
            failures.Add("Every Api:Keys value must be at least 16 characters long.");
        }
        if (options.ManualSyncWaitTimeout <= TimeSpan.Zero || options.ManualSyncWaitTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add("Api:ManualSyncWaitTimeout must be between 00:00:00 and 00:02:00.");
        }
        if (options.ManualSyncCooldown < TimeSpan.Zero || options.ManualSyncCooldown > TimeSpan.FromHours(1))
        {
            failures.Add("Api:ManualSyncCooldown must be between 00:00:00 and 01:00:00.");
        }
        if (options.ClusterCallTimeout < TimeSpan.FromSeconds(1) || options.ClusterCallTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add("Api:ClusterCallTimeout must be between 00:00:01 and 00:02:00.");
        }
        if (options.GatewayListRefreshPeriod < TimeSpan.FromSeconds(1) || options.GatewayListRefreshPeriod > TimeSpan.FromMinutes(5))
        {
            failures.Add("Api:GatewayListRefreshPeriod must be between 00:00:01 and 00:05:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
