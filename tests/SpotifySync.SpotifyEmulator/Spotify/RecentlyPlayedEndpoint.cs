using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;

namespace SpotifySync.SpotifyEmulator;

/// <summary><c>GET /v1/me/player/recently-played</c>: the user's 50 latest plays, newest first.</summary>
internal sealed class RecentlyPlayedEndpoint(EmulatorState state)
{
    // Cut short inside a track object: parsers must fail, not read a partial page.
    private const string MalformedBody = "{\"items\":[{\"track\":{\"album\":{\"album_type\":\"album\",\"artists\":[{\"id\":\"";

    public async Task HandleAsync(HttpContext context)
    {
        if (await BearerToken.AuthenticateAsync(context, state) is not { } userId)
        {
            return;
        }

        var (query, error) = RecentlyPlayedQuery.Parse(context.Request.Query);
        if (query is null)
        {
            await JsonResponse.WebApiErrorAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        if (state.Faults.IsMalformedJson(userId))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = JsonResponse.WebApiContentType;
            await context.Response.WriteAsync(MalformedBody, context.RequestAborted);
            return;
        }

        var page = Page(state.RecentPlaysOf(userId), query, out var hasMore);
        var cursors = page.Count == 0
            ? null
            : new CursorsJson(Millis(page[0].PlayedAt), Millis(page[^1].PlayedAt));
        var next = hasMore && cursors is not null ? NextUrl(context.Request, query, cursors) : null;
        var body = new RecentlyPlayedJson(
            [.. page.Select(PlayHistoryMapper.ToJson)],
            next,
            cursors,
            query.Limit,
            context.Request.GetEncodedUrl());
        await JsonResponse.WriteAsync(context, StatusCodes.Status200OK, body, SpotifyJsonContext.Default.RecentlyPlayedJson);
    }

    /// <summary>
    /// Without a cursor or with <c>before</c>: the newest <c>limit</c> plays older than the cursor, paging backwards.
    /// With <c>after</c>: the <c>limit</c> plays right after the cursor, so paging forwards skips nothing
    /// (Spotify does not document which slice it returns; this is the one that loses no plays).
    /// Either way the page itself is newest first.
    /// </summary>
    private static List<EmulatorPlay> Page(IReadOnlyList<EmulatorPlay> newestFirst, RecentlyPlayedQuery query, out bool hasMore)
    {
        var matching = newestFirst
            .Where(play => query.After is not { } after || play.PlayedAt.ToUnixTimeMilliseconds() > after)
            .Where(play => query.Before is not { } before || play.PlayedAt.ToUnixTimeMilliseconds() < before)
            .ToList();
        hasMore = matching.Count > query.Limit;
        return query.After is null
            ? [.. matching.Take(query.Limit)]
            : [.. matching.TakeLast(query.Limit)];
    }

    private static string NextUrl(HttpRequest request, RecentlyPlayedQuery query, CursorsJson cursors)
    {
        var cursor = query.After is null ? $"before={cursors.Before}" : $"after={cursors.After}";
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{cursor}&limit={query.Limit}";
    }

    private static string Millis(DateTimeOffset value) =>
        value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
