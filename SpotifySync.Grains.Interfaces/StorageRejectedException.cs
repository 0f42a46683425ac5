namespace SpotifySync.Grains.Interfaces;

/// <summary>
/// PostgreSQL answered, and refused what it was asked to store (e.g. a NUL in a text column, SQLSTATE 22021). Like
/// <see cref="StorageUnavailableException"/> it replaces the driver's exception at the grain boundary: the driver's
/// type may not deserialize in the API, which then could only answer 500. The change was not applied.
/// </summary>
[GenerateSerializer]
public sealed class StorageRejectedException : Exception
{
    public StorageRejectedException()
        : this("PostgreSQL refused the change", sqlState: null)
    {
    }

    public StorageRejectedException(string message)
        : this(message, sqlState: null)
    {
    }

    public StorageRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public StorageRejectedException(string message, string? sqlState)
        : base(message)
    {
        SqlState = sqlState;
    }

    /// <summary>PostgreSQL's error code; class <c>22</c> (data exception) means the value itself was refused.</summary>
    [Id(0)]
    public string? SqlState { get; init; }

    public bool IsDataRefused => SqlState?.StartsWith("22", StringComparison.Ordinal) == true;
}
