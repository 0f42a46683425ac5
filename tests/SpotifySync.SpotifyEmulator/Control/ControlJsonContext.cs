using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpotifySync.SpotifyEmulator;

/// <summary>The control API is ours, not Spotify's: plain camelCase web JSON.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UserTokenView))]
[JsonSerializable(typeof(IReadOnlyList<UserView>))]
[JsonSerializable(typeof(IReadOnlyList<PlayView>))]
[JsonSerializable(typeof(PlayView))]
[JsonSerializable(typeof(LatePlayRequest))]
[JsonSerializable(typeof(FaultsRequest))]
[JsonSerializable(typeof(FaultsView))]
[JsonSerializable(typeof(SwitchRequest))]
[JsonSerializable(typeof(IssueCodeRequest))]
[JsonSerializable(typeof(IssuedAuthorizationCode))]
[JsonSerializable(typeof(ControlError))]
[JsonSerializable(typeof(IReadOnlyList<EmulatorRequest>))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
