namespace SpotifySync.SpotifyEmulator;

/// <summary>A code the emulated sign-in handed out, as a test or script gives it to the app.</summary>
public sealed record IssuedAuthorizationCode(string Code, DateTimeOffset ExpiresAt);
