using SpotifySync.Grains.Spotify;

namespace SpotifySync.UnitTests;

public sealed class PooledResponseBodyTests
{
    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(300_000)]
    public async Task Reads_the_whole_body_with_or_without_a_content_length(int length)
    {
        var bytes = Bytes(length);
        using var announced = new ByteArrayContent(bytes);
        using var unannounced = new StreamContent(new ForwardOnlyStream(bytes));
        Assert.Null(unannounced.Headers.ContentLength);

        using var first = await PooledResponseBody.ReadAsync(announced, 1_000_000, "test", CancellationToken.None);
        using var second = await PooledResponseBody.ReadAsync(unannounced, 1_000_000, "test", CancellationToken.None);

        Assert.True(first.Span.SequenceEqual(bytes));
        Assert.True(second.Span.SequenceEqual(bytes));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_whether_announced_understated_or_not()
    {
        var bytes = Bytes(200_001);
        using var announced = new ByteArrayContent(bytes);
        using var unannounced = new StreamContent(new ForwardOnlyStream(bytes));

        foreach (var content in new HttpContent[] { announced, unannounced })
        {
            var e = await Assert.ThrowsAsync<SpotifyResponseFormatException>(
                () => PooledResponseBody.ReadAsync(content, 200_000, "recently-played", CancellationToken.None));
            Assert.Equal("recently-played answered more than 200,000 bytes", e.Message);
        }
        using var understated = new StreamContent(new ForwardOnlyStream(bytes));
        understated.Headers.ContentLength = 10;
        await Assert.ThrowsAsync<SpotifyResponseFormatException>(
            () => PooledResponseBody.ReadAsync(understated, 200_000, "recently-played", CancellationToken.None));
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read()
    {
        var bytes = Bytes(200_000);
        using var content = new StreamContent(new ForwardOnlyStream(bytes));

        using var body = await PooledResponseBody.ReadAsync(content, 200_000, "test", CancellationToken.None);

        Assert.Equal(200_000, body.Span.Length);
    }

    [Fact]
    public async Task The_span_is_gone_once_disposed()
    {
        using var content = new ByteArrayContent(Bytes(10));
        var body = await PooledResponseBody.ReadAsync(content, 100, "test", CancellationToken.None);

        body.Dispose();

        Assert.Throws<ObjectDisposedException>(() => body.Span.Length);
    }

    /// <summary>A stream whose length nobody can know in advance, as a chunked response's.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
