namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// Takes a <see cref="PauseSample"/> about once a second until disposed, on a thread of its own (the thread pool is
/// the emulator's and the load generator's), so that a slow second of the open-loop round can be set beside what
/// paused or changed in it.
/// </summary>
internal sealed class PauseSampler : IAsyncDisposable
{
    private readonly List<PauseSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PauseSampler(IReadOnlyList<Uri> siloUrls)
    {
        _loop = Task.Factory.StartNew(() => SampleUntilStopped(siloUrls), TaskCreationOptions.LongRunning);
    }

    /// <summary>The samples taken, in order; complete once the sampler is disposed.</summary>
    public IReadOnlyList<PauseSample> Samples => _samples;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void SampleUntilStopped(IReadOnlyList<Uri> siloUrls)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _samples.Add(PauseSample.ReadAsync(http, siloUrls, _stop.Token).GetAwaiter().GetResult());
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // A silo too busy to answer within the timeout is itself the finding: the gap between samples shows it.
            }
        }
        // One last reading, so that the round's last second has a sample after it.
        try
        {
            _samples.Add(PauseSample.ReadAsync(http, siloUrls, CancellationToken.None).GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The samples taken so far still stand.
        }
    }
}
