using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Api;

/// <summary>
/// States, outcomes and triggers travel as words (the same as in <c>spotify_users</c>), typed as strings in the
/// responses; this declares each as an enum of exactly those words, taken from the functions that write them.
/// </summary>
public sealed class WireEnumSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly string[] States = Enum.GetValues<UserConnectionState>().Select(SyncStatusResponse.StateName).ToArray();
    private static readonly string[] Outcomes = Enum.GetValues<SyncOutcomeKind>().Select(k => k.ToWireName()).Distinct().ToArray();
    private static readonly string[] Triggers = Enum.GetValues<SyncTrigger>().Select(t => t.ToWireName()).ToArray();

    private static readonly Dictionary<Type, (string Property, string[] Words)[]> WordProperties = new()
    {
        [typeof(SyncStatusResponse)] = [("state", States), ("lastSyncOutcome", Outcomes), ("lastTrigger", Triggers)],
        [typeof(SyncCompletedResponse)] = [("outcome", Outcomes)],
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (!WordProperties.TryGetValue(context.JsonTypeInfo.Type, out var properties) || schema.Properties is null)
        {
            return Task.CompletedTask;
        }
        foreach (var (name, words) in properties)
        {
            if (schema.Properties.TryGetValue(name, out var property) && property is OpenApiSchema wordProperty)
            {
                // A nullable property's enum lists null too (System.Text.Json's JsonNode for null is null), or a validator would
                // refuse the nulls the API sends.
                var nullable = wordProperty.Type?.HasFlag(JsonSchemaType.Null) == true;
                wordProperty.Enum = [.. words.Select(w => (JsonNode)JsonValue.Create(w)), .. nullable ? new JsonNode[] { null! } : []];
            }
        }
        return Task.CompletedTask;
    }
}
