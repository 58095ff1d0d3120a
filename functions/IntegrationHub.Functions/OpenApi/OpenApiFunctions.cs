using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.OpenApi;

/// <summary>The OpenAPI document of the whole HTTP surface, for anyone: it describes routes, not data.</summary>
public sealed class OpenApiFunctions
{
    [Function(nameof(OpenApiDocument))]
    [ApiOperation(
        ApiTags.Host,
        "This document",
        "The OpenAPI document of the whole HTTP surface, derived from the functions' own routes.",
        Conditional = true)]
    [ApiAnswer(200, "The document.", Schema = ApiDocuments.OpenApi, MediaType = ApiMediaTypes.OpenApiJson)]
    [Access(AccessPolicy.Anonymous)]
    public static IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var document = HubOpenApi.Current;

        // It changes only with a deployment: caches may keep it but must ask, and the ETag makes asking cheap.
        return HttpCaching.Send(request, document.Json, HubOpenApi.ContentType, document.ETag, HttpCaching.RevalidateCaching);
    }
}
