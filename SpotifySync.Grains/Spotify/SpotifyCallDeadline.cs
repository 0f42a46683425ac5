using System.Globalization;

namespace SpotifySync.Grains.Spotify;

/// <summary>
/// The bound of one logical Spotify call, body included. The clients read with
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/>, so the resilience pipeline's timeouts end when the
/// headers arrive; a server that sends headers and then stalls the body would otherwise hold the user's grain forever.
/// </summary>
internal static class SpotifyCallDeadline
{
    /// <summary>
    /// Runs <paramref name="call"/> with a token that fires after <paramref name="limit"/>; a call ended by that
    /// deadline (not by <paramref name="cancellationToken"/>) surfaces as a <see cref="TimeoutException"/>.
    /// </summary>
    /// <param name="callName">Names the call in the exception's message, which must never contain a token.</param>
    public static async Task<T> RunAsync<T>(
        string callName, TimeSpan limit, TimeProvider time, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The caller did not cancel: this is Spotify being slow, which the grain reports as such.
            throw new TimeoutException(
                $"{callName} answer not received in full within {limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s", e);
        }
    }
}
