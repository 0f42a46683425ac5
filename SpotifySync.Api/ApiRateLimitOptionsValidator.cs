using Microsoft.Extensions.Options;

namespace SpotifySync.Api;

public sealed class ApiRateLimitOptionsValidator : IValidateOptions<ApiRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiRateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.PermitLimit < 1)
        {
            failures.Add("Api:RateLimit:PermitLimit must be at least 1.");
        }
        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromHours(1))
        {
            failures.Add("Api:RateLimit:Window must be between 00:00:01 and 01:00:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
