namespace SpotifySync.SpotifyEmulator;

/// <summary>Applies <see cref="EmulatorFaults"/> to Spotify traffic before any endpoint sees it.</summary>
internal sealed class FaultInjector(RequestDelegate next, EmulatorState state)
{
    private const string BadGatewayPage =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

    private const string ServiceUnavailablePage =
        "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!SpotifyRoutes.IsSpotifyTraffic(context))
        {
            await next(context);
            return;
        }

        // Throttling and the rate limit are decided on arrival: a request that arrived inside a throttle window is
        // refused even if the configured latency carries its answer past the window's end, and an admitted request
        // counts against the rate limit from the moment it arrived.
        var refusal = state.Faults.RefusalOnArrival(context.Request.Path.Value ?? "", SpotifyTrafficRecorder.CallerOf(context));

        var latency = state.Faults.NextLatency();
        if (latency > TimeSpan.Zero)
        {
            // Wall-clock on purpose: latency is about the HTTP answer, not the emulator's (possibly fake) clock.
            await Task.Delay(latency, context.RequestAborted);
        }

        if (state.Faults.ShouldHang())
        {
            // A hanging upstream: the client's timeout, not this answer, usually ends the request.
            await Task.Delay(state.Faults.HangDuration, context.RequestAborted);
        }

        if (refusal is not null)
        {
            if (refusal.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            // The Web API's error shape on the token endpoint too, as this emulator has always answered its 429s.
            await JsonResponse.WebApiErrorAsync(context, StatusCodes.Status429TooManyRequests, "API rate limit exceeded", refusal.Reason);
            return;
        }

        if (state.Faults.ShouldFailWithServerError())
        {
            await WriteServerErrorAsync(context);
            return;
        }

        if (state.Faults.StallFor(context.Request.Path.Value ?? "", SpotifyTrafficRecorder.CallerOf(context)) is { } stall)
        {
            await StallBodyAsync(context, stall);
            return;
        }

        await next(context);
    }

    /// <summary>A 200 whose headers and first bytes arrive at once and whose body then never completes.</summary>
    private static async Task StallBodyAsync(HttpContext context, TimeSpan stall)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = context.Request.Path == SpotifyRoutes.Token ? JsonResponse.AccountsContentType : JsonResponse.WebApiContentType;
        try
        {
            // Flushed separately so the client really holds the headers, then part of the body, before the stall.
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await context.Response.WriteAsync("{\"", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(stall, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up, which is the point; the request is still logged with the 200 it got.
            return;
        }

        // Ending the response normally would close a well-formed chunked body; a dead upstream drops the connection.
        context.Abort();
    }

    // Spotify's own servers answer 500 in JSON; the edge in front of them answers 502/503 in HTML.
    private static Task WriteServerErrorAsync(HttpContext context)
    {
        switch (Random.Shared.Next(3))
        {
            case 0:
                return JsonResponse.WebApiErrorAsync(context, StatusCodes.Status500InternalServerError, "Server error.");
            case 1:
                return WriteHtmlAsync(context, StatusCodes.Status502BadGateway, BadGatewayPage);
            default:
                return WriteHtmlAsync(context, StatusCodes.Status503ServiceUnavailable, ServiceUnavailablePage);
        }
    }

    private static Task WriteHtmlAsync(HttpContext context, int statusCode, string page)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/html";
        return context.Response.WriteAsync(page, context.RequestAborted);
    }
}
