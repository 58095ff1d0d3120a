using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Intake;

// The one bounded body reader: pushes, ops reasons and pulled feeds all read through it.
internal static class RequestBody
{
    private const int ChunkBytes = 81920;

    // Reads at most limit bytes; null when the body is larger.
    public static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit)
        {
            return null;
        }

        // Not a conditional expression: null converts to an empty ReadOnlyMemory there, a body of nothing, not a refusal.
        var body = await ReadAtMostAsync(request.Body, limit, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        return body;
    }

    // Reads to the end, holding at most limit bytes: a body without a length (chunked) or one that runs past its
    // announced length stops being read at the first byte over the limit, so it is never buffered whole.
    // Returns null when the body is larger than the limit.
    public static async Task<byte[]?> ReadAtMostAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(ChunkBytes, limit - buffer.Length + 1)),
            cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
