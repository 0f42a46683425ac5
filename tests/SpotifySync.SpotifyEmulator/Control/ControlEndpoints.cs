namespace SpotifySync.SpotifyEmulator;

/// <summary>The <c>/_emulator</c> API: drive the emulator from a script or an out-of-process test.
/// It is not Spotify traffic, so it is neither logged nor faulted.</summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var control = app.MapGroup(SpotifyRoutes.ControlPrefix);
        var users = control.MapGroup("/users");

        users.MapPost("", (CreateUserRequest body) => CreateUser(state, body));
        users.MapGet("", () => TypedResults.Ok<IReadOnlyList<UserView>>([.. state.Users.Select(UserView.Of)]));
        users.MapGet("/{id}/plays", (string id) => ForUser(state, id, () =>
            TypedResults.Ok<IReadOnlyList<PlayView>>([.. state.PlaysOf(id).Select(PlayView.Of)])));
        users.MapPost("/{id}/late-plays", (string id, LatePlayRequest body) => ForUser(state, id, () => AddLatePlay(state, id, body)));
        users.MapPost("/{id}/revoke", (string id) => ForUser(state, id, () =>
        {
            state.RevokeRefreshToken(id);
            return TypedResults.NoContent();
        }));
        users.MapPost("/{id}/reauthorize", (string id) => ForUser(state, id, () =>
            TypedResults.Ok(new UserTokenView(id, state.Reauthorize(id)))));
        users.MapPost("/{id}/authorization-codes", (string id, IssueCodeRequest body) => ForUser(state, id, () => IssueCode(state, id, body)));
        users.MapPost("/{id}/expire-access-tokens", (string id) => ForUser(state, id, () =>
        {
            state.ExpireAccessTokens(id);
            return TypedResults.NoContent();
        }));
        users.MapPost("/{id}/rotation", (string id, SwitchRequest body) => ForUser(state, id, () =>
        {
            state.SetRotation(id, body.Enabled);
            return TypedResults.NoContent();
        }));
        users.MapPost("/{id}/malformed-json", (string id, SwitchRequest body) => ForUser(state, id, () =>
        {
            state.Faults.SetMalformedJson(id, body.Enabled);
            return TypedResults.NoContent();
        }));
        users.MapPost("/{id}/stalled-body", (string id, SwitchRequest body) => ForUser(state, id, () =>
        {
            state.Faults.SetStalledBody(id, body.Enabled);
            return TypedResults.NoContent();
        }));

        control.MapGet("/faults", () => TypedResults.Ok(FaultsView.Of(state.Faults, state.TimeProvider.GetUtcNow())));
        control.MapPost("/faults", (FaultsRequest body) => SetFaults(state, body));
        control.MapDelete("/faults", () =>
        {
            state.Faults.Reset();
            return TypedResults.NoContent();
        });

        control.MapGet("/requests", () => TypedResults.Ok(state.Requests));
        control.MapDelete("/requests", () =>
        {
            state.ClearRequests();
            return TypedResults.NoContent();
        });
    }

    private static IResult CreateUser(EmulatorState state, CreateUserRequest body)
    {
        if (string.IsNullOrWhiteSpace(body.UserId))
        {
            return TypedResults.BadRequest(new ControlError("userId is required"));
        }

        var defaults = new EmulatorUserSettings();
        var settings = new EmulatorUserSettings
        {
            InitialPlays = body.InitialPlays ?? defaults.InitialPlays,
            PlayInterval = body.PlayIntervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.PlayInterval,
            RotateRefreshTokens = body.RotateRefreshTokens ?? defaults.RotateRefreshTokens,
            IncludeLocalFiles = body.IncludeLocalFiles ?? defaults.IncludeLocalFiles,
            InitialRefreshToken = body.RefreshToken,
        };

        try
        {
            var user = state.AddUser(body.UserId, settings);
            return TypedResults.Created($"{SpotifyRoutes.ControlPrefix}/users/{Uri.EscapeDataString(user.UserId)}", new UserTokenView(user.UserId, user.RefreshToken));
        }
        catch (InvalidOperationException exception)
        {
            return TypedResults.Conflict(new ControlError(exception.Message));
        }
        catch (ArgumentException exception)
        {
            return TypedResults.BadRequest(new ControlError(exception.Message));
        }
    }

    private static IResult IssueCode(EmulatorState state, string userId, IssueCodeRequest body)
    {
        if (string.IsNullOrWhiteSpace(body.RedirectUri))
        {
            return TypedResults.BadRequest(new ControlError("redirectUri is required"));
        }
        if (body.CodeChallenge is not null && body.CodeChallengeMethod is not (null or "S256"))
        {
            return TypedResults.BadRequest(new ControlError("codeChallengeMethod must be S256 (the only one Spotify supports)"));
        }
        if (body.LifetimeSeconds is <= 0)
        {
            return TypedResults.BadRequest(new ControlError("lifetimeSeconds must be positive"));
        }
        var lifetime = body.LifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return TypedResults.Ok(state.IssueAuthorizationCode(userId, body.RedirectUri, body.CodeChallenge, lifetime));
    }

    private static IResult AddLatePlay(EmulatorState state, string userId, LatePlayRequest body)
    {
        if (body.PlayedAt is not { } playedAt)
        {
            return TypedResults.BadRequest(new ControlError("playedAt is required"));
        }

        try
        {
            return TypedResults.Ok(PlayView.Of(state.AddLatePlay(userId, playedAt)));
        }
        catch (ArgumentOutOfRangeException exception)
        {
            return TypedResults.BadRequest(new ControlError(exception.Message));
        }
        catch (InvalidOperationException exception)
        {
            return TypedResults.Conflict(new ControlError(exception.Message));
        }
    }

    private static IResult SetFaults(EmulatorState state, FaultsRequest body)
    {
        var faults = state.Faults;
        try
        {
            if (body.ServerErrorRate is { } rate)
            {
                faults.ServerErrorRate = rate;
            }

            if (body.LatencyMs is { } latencyMs)
            {
                faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
            }

            if (body.LatencyJitterMs is { } jitterMs)
            {
                faults.LatencyJitter = TimeSpan.FromMilliseconds(jitterMs);
            }

            if (body.ThrottleSeconds is { } throttleSeconds && throttleSeconds > 0)
            {
                faults.ThrottleFor(
                    TimeSpan.FromSeconds(throttleSeconds),
                    body.RetryAfterSeconds ?? (int)Math.Ceiling(throttleSeconds),
                    reason: NullIfEmpty(body.ThrottleReason));
            }

            // JSON cannot say "set to null" apart from "leave alone" here: 0 and "" stand for off.
            if (body.WindowLimit is { } limit)
            {
                faults.WindowLimit = limit == 0 ? null : limit;
            }

            if (body.WindowSeconds is { } windowSeconds)
            {
                faults.WindowLength = TimeSpan.FromSeconds(windowSeconds);
            }

            if (body.WindowReason is { } windowReason)
            {
                faults.WindowReason = NullIfEmpty(windowReason);
            }

            if (body.StallBodyRate is { } stallRate)
            {
                faults.StallBodyRate = stallRate;
            }

            if (body.StallScope is { } stallScope)
            {
                faults.StallScope = stallScope;
            }

            if (body.StallDurationMs is { } stallMs)
            {
                faults.StallDuration = TimeSpan.FromMilliseconds(stallMs);
            }
        }
        catch (ArgumentOutOfRangeException exception)
        {
            return TypedResults.BadRequest(new ControlError(exception.Message));
        }
        catch (OverflowException exception)
        {
            // A duration in seconds too large for a TimeSpan.
            return TypedResults.BadRequest(new ControlError(exception.Message));
        }

        return TypedResults.Ok(FaultsView.Of(faults, state.TimeProvider.GetUtcNow()));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static IResult ForUser(EmulatorState state, string userId, Func<IResult> action) =>
        state.TryGetUser(userId, out _)
            ? action()
            : TypedResults.NotFound(new ControlError($"No emulated user '{userId}'."));
}
