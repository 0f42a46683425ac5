namespace SpotifySync.SpotifyEmulator;

/// <summary>How one emulator instance behaves: the app credentials it accepts, token lifetime, port and clock.</summary>
public sealed class EmulatorSettings
{
    public string ClientId { get; init; } = "emulator-client-id";

    public string ClientSecret { get; init; } = "emulator-client-secret";

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>0 lets the OS pick a free port; read the real one from <see cref="SpotifyEmulator.BaseUrl"/>.</summary>
    public int Port { get; init; }

    /// <summary>Drives play times, token expiry, throttle windows and the request log, so tests can fake time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
