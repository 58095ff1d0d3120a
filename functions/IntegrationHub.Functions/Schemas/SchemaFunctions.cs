using IntegrationHub.Functions.Datasets;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Schemas;

/// <summary>
/// The schemas the hub validates with, served as they are embedded, so a department needs only curl or a browser to
/// get its feed's schema. Anonymous: a schema is the public contract, not data. Each schema's <c>$id</c> has the path of
/// its route here, so an <c>$id</c> resolves against the hub's own address. Answers carry a strong <c>ETag</c> and
/// answer <c>If-None-Match</c> with 304; they change only with a deployment, so caches revalidate (<c>no-cache</c>).
/// </summary>
public sealed class SchemaFunctions(SchemaDirectory directory)
{
    /// <summary>The media type of a JSON Schema document (JSON Schema 2020-12 core, §14.2).</summary>
    public const string SchemaContentType = "application/schema+json";

    [Function(nameof(ListSchemas))]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult ListSchemas([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemas")] HttpRequest request) =>
        Send(request, directory.List(), DatasetResponses.JsonContentType);

    [Function(nameof(GetSchema))]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult GetSchema(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemas/{kind}/{name}/{version}")] HttpRequest request, string kind, string name,
            string version) =>
        Send(request, directory.Get(kind, name, version), SchemaContentType);

    /// <summary>The schemas whose path has two segments: <c>dataset/{version}</c> and <c>reference/{name}</c>.</summary>
    [Function(nameof(GetSchemaOfTwoSegments))]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult GetSchemaOfTwoSegments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemas/{kind}/{item}")] HttpRequest request, string kind, string item) =>
        Send(request, directory.Get(kind, item), SchemaContentType);

    private static IActionResult Send(HttpRequest request, SchemaAnswer answer, string contentType)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (answer is SchemaAnswer.NotFound missing)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Unknown schema", missing.Detail,
                new Dictionary<string, object?> { ["parameter"] = missing.Parameter });
        }

        var found = (SchemaAnswer.Found)answer;
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = found.ETag;
        headers.CacheControl = DatasetResponses.RevalidateCaching;
        return DatasetResponses.Matches(request, found.ETag)
            ? new StatusCodeResult(StatusCodes.Status304NotModified)
            : new FileContentResult(found.Bytes, contentType);
    }
}
