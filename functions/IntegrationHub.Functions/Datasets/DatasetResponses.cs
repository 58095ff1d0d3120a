using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Functions.Datasets;

/// <summary>Turns a query's answer into the HTTP response: caching headers, conditional 304, or a problem.</summary>
internal static class DatasetResponses
{
    public const string JsonContentType = "application/json";
    public const string ImmutableCaching = "public, max-age=31536000, immutable";

    // Current data sets move when a new version is published: a cache may keep them but must ask first (the ETag
    // makes that a cheap 304).
    public const string RevalidateCaching = "no-cache";

    public static IActionResult Send(HttpRequest request, DatasetAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (answer is DatasetAnswer.Refused refused)
        {
            return Problems.Create(new HubProblem(refused.Status, refused.Title) { Detail = refused.Detail, Parameter = refused.Parameter });
        }

        var found = (DatasetAnswer.Found)answer;
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = found.ETag;
        headers.CacheControl = found.Immutable ? ImmutableCaching : RevalidateCaching;
        return Matches(request, found.ETag)
            ? new StatusCodeResult(StatusCodes.Status304NotModified)
            : new FileContentResult(found.Json, JsonContentType);
    }

    /// <summary>
    /// If-None-Match (RFC 9110 §13.1.2): <c>*</c> or any listed tag equal to ours under the weak comparison, which
    /// is the one this header uses. An unparsable header is ignored, so the client gets the full response.
    /// </summary>
    internal static bool Matches(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var ours = new EntityTagHeaderValue(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ours, useStrongComparison: false));
    }
}
