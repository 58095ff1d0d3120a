using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Functions.Http;

// Conditional answers of exact bytes: a strong ETag, Cache-Control, and 304 for a matching If-None-Match.
internal static class HttpCaching
{
    public const string JsonContentType = "application/json";

    // What never changes under its URL (a data-set version, a fingerprinted asset).
    public const string ImmutableCaching = "public, max-age=31536000, immutable";

    // What a new version or deployment moves: a cache may keep it but must ask first (the ETag makes that a cheap 304).
    public const string RevalidateCaching = "no-cache";

    // The strong entity tag of these exact bytes.
    public static string ETagOf(ReadOnlySpan<byte> bytes) => Quoted(Convert.ToHexStringLower(SHA256.HashData(bytes)));

    public static string Quoted(string hex) => $"\"{hex}\"";

    public static IActionResult Send(HttpRequest request, byte[] bytes, string contentType, string etag, string caching)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = caching;
        return Matches(request, etag) ? new StatusCodeResult(StatusCodes.Status304NotModified) : new FileContentResult(bytes, contentType);
    }

    // If-None-Match (RFC 9110 §13.1.2): * or any listed tag equal to ours under the weak comparison, which is the one
    // this header uses. An unparsable header is ignored, so the client gets the full response.
    public static bool Matches(HttpRequest request, string etag)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var ours = new EntityTagHeaderValue(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ours, useStrongComparison: false));
    }
}
