namespace SpotifySync.Grains.Interfaces;

/// <summary>
/// PostgreSQL did not answer, so a change could not be stored yet (the API answers 503 with Retry-After).
/// It replaces the database driver's own exception at the grain boundary: that type means nothing to the
/// API and may not even deserialize there. Whatever the grain already accepted in memory is saved later.
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : this("PostgreSQL is unavailable")
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
