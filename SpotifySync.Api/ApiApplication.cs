using System.Text.Json.Serialization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

namespace SpotifySync.Api;

/// <summary>Builds the API host; Program runs it and tests start it on a real port.</summary>
public static class ApiApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json next to the binaries, whatever the working directory the process was started in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        builder.Services.AddOptions<ApiRateLimitOptions>().Bind(builder.Configuration.GetSection(ApiRateLimitOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiRateLimitOptions>, ApiRateLimitOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);

        var connectionString = builder.Configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Postgres is required: the API finds the silos' gateways in PostgreSQL.");
        }
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "spotifysync";
                o.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "spotifysync";
            });
            // Read here, before the host is built: Orleans takes its options as the client is configured.
            var apiOptions = builder.Configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = apiOptions.ClusterCallTimeout);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = apiOptions.GatewayListRefreshPeriod);
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
        });

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.AddMissingDetail);
        builder.Services.AddSingleton<ApiProblemWriter>();
        // Binding failures (malformed JSON, empty body, a bad query value, a wrong content type) are thrown, so that
        // BadRequestExceptionHandler can answer them with a detail instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<StorageRejectedExceptionHandler>();
        builder.Services.AddExceptionHandler<ClusterUnavailableExceptionHandler>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddSingleton<IConfigureOptions<RateLimiterOptions>, ApiKeyRateLimiter.Setup>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi(o => o
            .AddDocumentTransformer<ApiKeySecuritySchemeTransformer>()
            .AddOperationTransformer<UserIdParameterTransformer>()
            .AddSchemaTransformer<WireEnumSchemaTransformer>()
            .AddSchemaTransformer<ConnectRequestSchemaTransformer>());
        builder.Services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("cluster", tags: ["ready"]);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddRequestDurationBuckets()
            .AddPrometheusExporter());

        var app = builder.Build();
        app.UseExceptionHandler();
        // An unknown route or a wrong method gets problem+json too, its detail from ApiProblems.AddMissingDetail.
        app.UseStatusCodePages();
        // The door, in this order: the key before anything reads the request, then the key's rate, then the body's size.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), door => door
            .UseMiddleware<ApiKeyMiddleware>()
            .UseRateLimiter()
            .UseMiddleware<RequestBodyLimitMiddleware>());

        var api = app.MapGroup("/api").AddEndpointFilter<RequestDeadlineEndpointFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapUserSyncEndpoints();
        api.MapSpotifyTokenEndpoints();
        api.MapSyncAdminEndpoints();

        app.MapOpenApi();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
