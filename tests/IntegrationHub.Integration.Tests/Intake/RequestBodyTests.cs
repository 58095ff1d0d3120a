using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Integration.Tests.Intake;

public sealed class RequestBodyTests
{
    [Fact]
    public async Task ReadLimitedAsync_BodyOfExactlyTheLimit_ReturnsEveryByte()
    {
        var body = new CountingStream(length: 1000);

        var read = await RequestBody.ReadLimitedAsync(Request(body, contentLength: null), limit: 1000, CancellationToken.None);

        Assert.Equal(1000, read?.Length);
    }

    [Fact]
    public async Task ReadLimitedAsync_EndlessChunkedBody_StopsReadingAtTheFirstByteOverTheLimit()
    {
        // A chunked body with no end: the limit of 1000 bytes must hold while reading, so 1001 bytes are read at most.
        var body = new CountingStream(length: long.MaxValue);

        var read = await RequestBody.ReadLimitedAsync(Request(body, contentLength: null), limit: 1000, CancellationToken.None);

        Assert.Null(read);
        Assert.InRange(body.Served, 1001, 1001);
    }

    [Fact]
    public async Task ReadLimitedAsync_ContentLengthOverTheLimit_RefusesWithoutReading()
    {
        var body = new CountingStream(length: 1001);

        var read = await RequestBody.ReadLimitedAsync(Request(body, contentLength: 1001), limit: 1000, CancellationToken.None);

        Assert.Null(read);
        Assert.Equal(0, body.Served);
    }

    private static HttpRequest Request(Stream body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = body;
        context.Request.ContentLength = contentLength;
        return context.Request;
    }

    /// <summary>Serves <c>length</c> bytes of 'x', as a network stream would, and counts what was taken.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Served);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            Served += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
