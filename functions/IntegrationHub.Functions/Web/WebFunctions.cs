using IntegrationHub.Functions.Datasets;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Web;

/// <summary>
/// The pages the app serves to people, and the scripts and styles they load: the ops console over the ops API, the
/// dashboard over the data-set query API, and the API reference over the OpenAPI document. Anonymous on purpose: the pages hold no data. The console asks the
/// operator for the ops key and sends it from the browser with each ops call; the dashboard reads published data.
/// </summary>
public sealed class WebFunctions
{
    /// <summary>Pages are small and name their assets by fingerprint: revalidate them on every load (a 304 by ETag).</summary>
    public const string PageCaching = "no-cache";

    [Function(nameof(OpsConsole))]
    [ApiOperation(
        ApiTags.Pages,
        "The ops console",
        "A web page over the ops API: instances with filters, an instance's detail and failure, "
        + "replay, rewind, terminate and purge, the quarantine and the audit log. The page holds no "
        + "data and needs no key; it asks the operator for the ops key and sends it with each ops "
        + "call.",
        Conditional = true)]
    [ApiAnswer(200, "The page.", Schema = ApiDocuments.Html, MediaType = ApiMediaTypes.Html)]
    [Access(AccessPolicy.Page)]
    public static IActionResult OpsConsole([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request) =>
        Send(request, WebAssets.Page(WebAssets.ConsolePage), PageCaching);

    [Function(nameof(Dashboard))]
    [ApiOperation(
        ApiTags.Pages,
        "The data-set dashboard",
        "The latest data set of a chosen period and area: key indicators over time against the "
        + "plan's targets, the target table, quality flags and what is missing.",
        Conditional = true)]
    [ApiAnswer(200, "The page.", Schema = ApiDocuments.Html, MediaType = ApiMediaTypes.Html)]
    [Access(AccessPolicy.Page)]
    public static IActionResult Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        Send(request, WebAssets.Page(WebAssets.DashboardPage), PageCaching);

    [Function(nameof(ApiDocs))]
    [ApiOperation(
        ApiTags.Pages,
        "The API reference",
        "This document rendered for people (Swagger UI, served by the app with its licence): every "
        + "operation, its parameters, answers and schemas.",
        Conditional = true)]
    [ApiAnswer(200, "The page.", Schema = ApiDocuments.Html, MediaType = ApiMediaTypes.Html)]
    [Access(AccessPolicy.Page)]
    public static IActionResult ApiDocs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request) =>
        Send(request, WebAssets.Page(WebAssets.DocsPage), PageCaching);

    [Function(nameof(WebAsset))]
    [ApiOperation(
        ApiTags.Pages,
        "A page asset",
        "A script, style sheet or licence text the pages load or link. Under the URL the pages use "
        + "(`?v=` its current fingerprint) it is cacheable for a year; under any other, revalidated.",
        Conditional = true)]
    [ApiQuery("v", "The asset's current fingerprint, as the pages link it.")]
    [ApiAnswer(200, "The asset.", Schema = ApiDocuments.Asset, MediaType = ApiMediaTypes.JavaScript, OtherMediaTypes = new[] { ApiMediaTypes.Css, ApiMediaTypes.Text })]
    [ApiProblem(404, "Not one of the files the pages load.")]
    [Access(AccessPolicy.Page)]
    public static IActionResult WebAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "web/{name}")] HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (WebAssets.Asset(name) is not { } asset)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Unknown web asset", $"'{name}' is not one of the files the pages load.");
        }

        // Cached for a year only under the URL the pages use (?v= the current fingerprint); any other URL of the
        // same file is revalidated, so an old fingerprint never pins new bytes, nor a bare name old ones.
        var current = string.Equals(request.Query["v"], asset.Fingerprint, StringComparison.Ordinal);
        return Send(request, asset, current ? DatasetResponses.ImmutableCaching : PageCaching);
    }

    private static IActionResult Send(HttpRequest request, WebFile file, string caching)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = file.ETag;
        headers.CacheControl = caching;
        return DatasetResponses.Matches(request, file.ETag)
            ? new StatusCodeResult(StatusCodes.Status304NotModified)
            : new FileContentResult(file.Bytes, file.ContentType);
    }
}
