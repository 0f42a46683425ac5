using System.Buffers;

namespace SpotifySync.Grains.Spotify;

/// <summary>
/// A response body read whole into a buffer rented from the shared pool, so that it can be parsed in one synchronous
/// pass. A recently-played page is about 100 KB: a fresh array per sync would land on the large object heap, hundreds
/// of times a second. Dispose returns the buffer; the span must not be used after that.
/// </summary>
public sealed class PooledResponseBody : IDisposable
{
    private const int FirstBufferBytes = 64 * 1024;

    private byte[]? _buffer;
    private readonly int _length;

    private PooledResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(PooledResponseBody))).AsSpan(0, _length);

    /// <exception cref="SpotifyResponseFormatException">The body is longer than <paramref name="maxBytes"/>.</exception>
    public static async Task<PooledResponseBody> ReadAsync(HttpContent content, int maxBytes, string what, CancellationToken cancellationToken)
    {
        var announced = content.Headers.ContentLength;
        if (announced > maxBytes)
        {
            throw TooLong(what, maxBytes);
        }
        // One byte more than announced, so that a body of exactly that length ends with a read of 0, not a copy.
        var buffer = ArrayPool<byte>.Shared.Rent(announced is { } length ? (int)length + 1 : FirstBufferBytes);
        var filled = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled >= maxBytes)
                    {
                        throw TooLong(what, maxBytes);
                    }
                    buffer = Grow(buffer, Math.Min((long)buffer.Length * 2, maxBytes + 1L));
                }
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                filled += read;
            }
            return filled > maxBytes ? throw TooLong(what, maxBytes) : new PooledResponseBody(buffer, filled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, long length)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)length);
        buffer.AsSpan().CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private static SpotifyResponseFormatException TooLong(string what, int maxBytes) =>
        new($"{what} answered more than {maxBytes:N0} bytes");
}
