using System.Globalization;
using IntegrationHub.Core.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Functions.Intake;

// A pushed feed's body as intake may take it, or the answer that refuses it before a byte is landed: the media type
// (JSON, UTF-8), the content coding (none) and the size (the limit, enforced while reading) are checked here.
internal static class PushedBody
{
    public const string MediaType = "application/json";

    // The only content coding intake reads (see the README's HTTP API on why not gzip).
    public const string Identity = "identity";

    // Returns the complete body, or the problem to answer instead (415, 413 or 400) when it cannot be taken whole.
    public static async Task<(ReadOnlyMemory<byte> Body, IActionResult? Refusal)> ReadAsync(HttpRequest request,
        long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (UnsupportedMediaType(request.ContentType) is { } mediaTypeProblem)
        {
            return (default, mediaTypeProblem);
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length > 0 && !encoding.Equals(Identity, StringComparison.OrdinalIgnoreCase))
        {
            // RFC 9110 §15.5.16: a 415 for a content coding names the codings that would be accepted.
            request.HttpContext.Response.Headers.AcceptEncoding = Identity;
            return (default, Problems.Create(new HubProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding")
            {
                Detail = $"Content-Encoding '{encoding}' is not accepted; send the feed's JSON bytes as they are (supported: {Identity}).",
                Parameter = HeaderNames.ContentEncoding,
            }));
        }

        if (request.ContentLength > limit)
        {
            return (default, TooLarge(limit));
        }

        try
        {
            return await RequestBody.ReadAtMostAsync(request.Body, limit, cancellationToken).ConfigureAwait(false) is { } body
                ? (body, null)
                : (default, TooLarge(limit));
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own request limit, lower than ours.
            return (default, TooLarge(limit));
        }
        catch (Exception ex) when (ex is Microsoft.AspNetCore.Http.BadHttpRequestException or IOException)
        {
            // The connection ended before the body did (a Content-Length not reached, a broken chunked encoding): nothing was landed.
            return (default, Problems.Create(new InvalidFeedProblem(StatusCodes.Status400BadRequest, "Incomplete body",
                [new ValidationIssue("", null, "parse:incomplete-body", "The request body ended before its declared length or its last chunk.")])
            {
                Detail = "The body ended before its declared end; nothing was received. Send the feed again.",
            }));
        }
    }

    // Null for application/json with no charset or charset=utf-8; otherwise the 415 that says what to send.
    private static ObjectResult? UnsupportedMediaType(string? contentType)
    {
        string? detail = null;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            detail = "The request has no Content-Type; a feed is sent as application/json.";
        }
        else if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || !parsed.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase))
        {
            detail = $"Content-Type '{contentType}' is not accepted; a feed is sent as application/json.";
        }
        else if (HeaderUtilities.RemoveQuotes(parsed.Charset) is { Length: > 0 } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            detail = $"Content-Type '{contentType}' names another character set; a feed is UTF-8 (RFC 8259 §8.1): send application/json, with "
                + $"charset=utf-8 or none.";
        }

        return detail is null
            ? null
            : Problems.Create(new HubProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type") { Detail = detail,
                Parameter = HeaderNames.ContentType });
    }

    private static ObjectResult TooLarge(long limit) => Problems.Create(StatusCodes.Status413PayloadTooLarge, "Feed too large",
        string.Create(CultureInfo.InvariantCulture, $"The limit is {limit} bytes; split the feed by area or period."));
}
