using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Intake;

internal static class RequestBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger. The limit holds while reading, so an oversized body is never buffered whole.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
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
