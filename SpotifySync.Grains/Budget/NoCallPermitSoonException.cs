namespace SpotifySync.Grains.Budget;

/// <summary>
/// The call budget has no permit within the wait a caller allowed (the cluster is over its pace, or held back after a
/// 429): the Spotify call was not sent. <see cref="RetryAfter"/> says when a permit is due.
/// </summary>
public sealed class NoCallPermitSoonException(TimeSpan retryAfter)
    : Exception($"no Spotify call permit within the allowed wait (next in {retryAfter.TotalSeconds:0.#}s)")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
