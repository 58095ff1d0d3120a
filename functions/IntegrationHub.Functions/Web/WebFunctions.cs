using System.ComponentModel;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Web;

/// <summary>
/// The pages the app serves to people, and the scripts and styles they load: the ops console over the ops API, the
/// dashboard over the data-set query API, and the API reference over the OpenAPI document. Anonymous on purpose: the pages hold no data. The console asks the
/// operator for the ops key and sends it from the browser with each ops call; the dashboard reads published data.
/// </summary>
public sealed class WebFunctions(OpsSignIn signIn, IOptionsMonitor<AccessOptions> access)
{
    /// <summary>Pages are small and name their assets by fingerprint: revalidate them on every load (a 304 by ETag).</summary>
    public const string PageCaching = "no-cache";

    [Function(nameof(OpsConsole))]
    [ApiOperation(
        ApiTags.Pages,
        "The ops console",
        "A web page over the ops API: instances with filters, an instance's detail and failure, "
        + "replay, rewind, terminate and purge, the quarantine and the audit log. The page holds no "
        + "data and needs no key; it signs the operator in with Entra ID (MSAL.js, `GET /api/console/sign-in`) "
        + "and sends the token with each ops call, or in local development asks for the ops key.",
        Conditional = true)]
    [ApiAnswer(200, "The page.", Schema = ApiDocuments.Html, MediaType = ApiMediaTypes.Html)]
    [ApiProblem(403, "Not from a network the ops surface answers (`Access__Ops__AllowedNetworks`).")]
    [Access(AccessPolicy.Page, OpsNetwork = true)]
    public IActionResult OpsConsole([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SecurityHeaders.ForConsole(request.HttpContext.Response, signIn.Console);
        return Send(request, WebAssets.Page(WebAssets.ConsolePage), PageCaching);
    }

    /// <summary>
    /// How the console signs people in, read by it before anything else: Entra ID (its public settings) when configured,
    /// and whether the ops key form is offered (not in Azure unless the key is allowed there). No key needed: nothing
    /// here is secret, a browser sees all of it in the sign-in request.
    /// </summary>
    [Function(nameof(ConsoleSignInSettings))]
    [ApiOperation(
        ApiTags.Pages,
        "How the ops console signs in",
        "Read by the console before anything else: `entra` (the console's client id, the tenant's authority and the API scope "
        + "MSAL.js asks a token for) when Entra ID sign-in is configured, else null; `opsKey`: whether the hub accepts the ops "
        + "key here (not in Azure unless allowed), so the console offers its form. Nothing secret; never cached.")]
    [ApiAnswer(200, "The console's sign-in settings.", Body = typeof(ConsoleSignInAnswer))]
    [ApiProblem(403, "Not from a network the ops surface answers (`Access__Ops__AllowedNetworks`).")]
    [Access(AccessPolicy.Anonymous, OpsNetwork = true)]
    public IActionResult ConsoleSignInSettings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/sign-in")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Settings can change with a restart or a reload: never kept by a cache.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var console = signIn.Console;
        return new OkObjectResult(new ConsoleSignInAnswer(
            console is null ? null : new ConsoleSignInEntra(console.ClientId, console.Authority, console.Scope),
            OpsKey: !signIn.RunsInAzure || access.CurrentValue.AllowOpsKeyInAzure));
    }

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
    [ApiAnswer(200, "The asset.", Schema = ApiDocuments.Asset, MediaType = ApiMediaTypes.JavaScript,
        OtherMediaTypes = new[] { ApiMediaTypes.Css, ApiMediaTypes.Text })]
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
        return Send(request, asset, current ? HttpCaching.ImmutableCaching : PageCaching);
    }

    private static IActionResult Send(HttpRequest request, WebFile file, string caching)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpCaching.Send(request, file.Bytes, file.ContentType, file.ETag, caching);
    }
}

/// <summary>The answer of <c>GET /api/console/sign-in</c>.</summary>
/// <param name="Entra">Entra ID sign-in for the console, or null when it has none.</param>
/// <param name="OpsKey">Whether the hub accepts the ops key here, so the console offers its form.</param>
public sealed record ConsoleSignInAnswer(
    [property: Description("Entra ID sign-in with MSAL.js; null when it is not configured.")] ConsoleSignInEntra? Entra,
    [property: Description("Whether the hub accepts the ops key here: false in Azure unless `Access__AllowOpsKeyInAzure`.")] bool OpsKey);

/// <summary>What MSAL.js is configured with: the console's client id, the tenant's authority, the API scope.</summary>
public sealed record ConsoleSignInEntra(
    [property: Description("The console's app registration (platform: single-page application).")] string ClientId,
    [property: Description("The tenant's sign-in address, `https://login.microsoftonline.com/{tenant}`.")] string Authority,
    [property: Description("The scope of the hub's API the console asks a token for, e.g. `api://{client id}/Ops.Use`.")] string Scope);
