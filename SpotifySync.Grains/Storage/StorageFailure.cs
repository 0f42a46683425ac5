using System.Net.Sockets;
using Npgsql;
using SpotifySync.Grains.Interfaces;

namespace SpotifySync.Grains.Storage;

/// <summary>Tells "PostgreSQL is away for now" (try again later) from a real error in what we asked of it.</summary>
public static class StorageFailure
{
    /// <summary>True when <paramref name="e"/>, or an exception inside it, says the database could not be reached or is shutting down.</summary>
    public static bool IsUnavailable(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable))
            {
                return true;
            }
            if (current switch
            {
                // Shutdown and "cannot connect now" are how a stopping or restarting server answers.
                PostgresException p => p.IsTransient || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                    or PostgresErrorCodes.CannotConnectNow,
                // Not a server answer at all: the connection failed or broke.
                NpgsqlException => true,
                SocketException or TimeoutException => true,
                _ => false,
            })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// What a grain throws instead of the driver's exception, so that only our serializable types cross the grain
    /// boundary: <see cref="StorageUnavailableException"/> when PostgreSQL was away, <see cref="StorageRejectedException"/>
    /// (with the SQLSTATE, without the driver's exception inside) when it refused the statement; null when
    /// <paramref name="e"/> is not a storage failure. <paramref name="what"/> names the change, for the message.
    /// </summary>
    public static Exception? AtGrainBoundary(Exception e, string what)
    {
        if (IsUnavailable(e))
        {
            return new StorageUnavailableException($"PostgreSQL is unavailable: {what} could not be stored");
        }
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is PostgresException refused)
            {
                return new StorageRejectedException($"PostgreSQL refused {what}: {refused.SqlState} {refused.MessageText}", refused.SqlState);
            }
        }
        return null;
    }
}
