namespace SpotifySync.Api;

/// <summary>The app's user ids become grain keys and database keys: keep them short and printable.</summary>
public static class UserIdRules
{
    public const int MaxLength = 128;

    public static Dictionary<string, string[]>? Validate(string userId)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > MaxLength || userId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return new() { ["userId"] = [$"userId must be 1 to {MaxLength} printable characters without spaces."] };
        }
        return null;
    }
}
