using System.Diagnostics;

namespace SpotifySync.Benchmarks.Scale;

/// <summary>
/// Load on the API over real HTTP, as the app backend would put it: closed-loop (a fixed number of clients, each
/// sending its next request when the last one answered) and open-loop (a fixed arrival rate whatever the answers do,
/// latency counted from each request's scheduled time, so that a slow stretch is not hidden by the requests it held back).
/// </summary>
internal sealed class ApiLoad(HttpClient http)
{
    /// <summary>Sends one request per item, <paramref name="clients"/> at a time.</summary>
    public async Task<LatencySummary> EachOnceAsync<T>(
        IReadOnlyList<T> items, int clients, Func<T, HttpRequestMessage> request, Func<HttpResponseMessage, bool> succeeded, CancellationToken ct)
    {
        var next = -1;
        return await ClosedLoopAsync(clients, () => Interlocked.Increment(ref next) is var i && i < items.Count ? request(items[i]) : null, succeeded, ct);
    }

    /// <summary>Sends requests from <paramref name="clients"/> clients for <paramref name="duration"/>.</summary>
    public Task<LatencySummary> ForAsync(
        TimeSpan duration, int clients, Func<HttpRequestMessage> request, Func<HttpResponseMessage, bool> succeeded, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return ClosedLoopAsync(clients, () => Stopwatch.GetTimestamp() < deadline ? request() : null, succeeded, ct);
    }

    /// <summary>
    /// Offers <paramref name="perSecond"/> requests a second for <paramref name="duration"/>. The pace is kept by a
    /// thread of its own, not by timers on the thread pool: here the pool also serves the emulator, and a timer's
    /// continuation queued behind its work would start requests late, which the latency (counted from the schedule)
    /// would then blame on the API. How late the sends still were is reported beside.
    /// </summary>
    public async Task<OpenLoopResult> OpenLoopAsync(
        int perSecond, TimeSpan duration, Func<HttpRequestMessage> request, Func<HttpResponseMessage, bool> succeeded, CancellationToken ct)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var latencies = new long[total];
        var lateness = new long[total];
        var failures = 0;
        var sent = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();

        async Task SendAt(int index, long scheduled)
        {
            if (await SendAsync(request(), succeeded, ct))
            {
                latencies[index] = Stopwatch.GetTimestamp() - scheduled;
            }
            else
            {
                Interlocked.Increment(ref failures);
                latencies[index] = -1;
            }
        }

        var paced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < total && !ct.IsCancellationRequested; i++)
            {
                var scheduled = start + (long)((double)i / perSecond * Stopwatch.Frequency);
                // Sleeps, never spins (a spinning generator would take a core from what it measures), and never
                // sends early: the time a sleep overshoots is counted in the request's latency.
                while (Stopwatch.GetTimestamp() is var now && now < scheduled)
                {
                    Thread.Sleep(Math.Max(1, (int)Stopwatch.GetElapsedTime(now, scheduled).TotalMilliseconds));
                }
                lateness[i] = Stopwatch.GetTimestamp() - scheduled;
                sent.Add(SendAt(i, scheduled));
            }
            paced.SetResult();
        }) { IsBackground = true, Name = "open-loop pacer" };
        pacer.Start();
        await paced.Task;
        await Task.WhenAll(sent);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var count = sent.Count;
        var answers = LatencySummary.From([.. latencies.Take(count).Where(l => l >= 0)], failures, elapsed);
        return new OpenLoopResult(answers, LatencySummary.From([.. lateness.Take(count)], 0, elapsed), start,
            WorstPerSecond(latencies.AsSpan(0, count), perSecond), WorstPerSecond(lateness.AsSpan(0, count), perSecond));
    }

    /// <summary>The largest of each second's values (request i is scheduled in second i / perSecond); failures (-1) left out.</summary>
    private static TimeSpan[] WorstPerSecond(ReadOnlySpan<long> ticks, int perSecond)
    {
        var worst = new TimeSpan[(ticks.Length + perSecond - 1) / perSecond];
        for (var i = 0; i < ticks.Length; i++)
        {
            var value = Stopwatch.GetElapsedTime(0, Math.Max(0, ticks[i]));
            if (value > worst[i / perSecond])
            {
                worst[i / perSecond] = value;
            }
        }
        return worst;
    }

    private async Task<LatencySummary> ClosedLoopAsync(
        int clients, Func<HttpRequestMessage?> nextRequest, Func<HttpResponseMessage, bool> succeeded, CancellationToken ct)
    {
        var perClient = Enumerable.Range(0, clients).Select(_ => new List<long>()).ToArray();
        var failures = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(perClient.Select(latencies => Task.Run(async () =>
        {
            while (nextRequest() is { } request)
            {
                var sentAt = Stopwatch.GetTimestamp();
                if (await SendAsync(request, succeeded, ct))
                {
                    latencies.Add(Stopwatch.GetTimestamp() - sentAt);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, ct)));
        var elapsed = Stopwatch.GetElapsedTime(start);
        return LatencySummary.From([.. perClient.SelectMany(l => l)], failures, elapsed);
    }

    private async Task<bool> SendAsync(HttpRequestMessage request, Func<HttpResponseMessage, bool> succeeded, CancellationToken ct)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request, ct))
            {
                // Read the body, as a client would: the answer is not complete before it.
                await response.Content.ReadAsByteArrayAsync(ct);
                return succeeded(response);
            }
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
