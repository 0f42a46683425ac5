namespace SpotifySync.SpotifyEmulator;

internal sealed record ControlError(string Error);
