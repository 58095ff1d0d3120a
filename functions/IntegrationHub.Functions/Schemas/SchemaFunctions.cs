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
    [ApiOperation(
        ApiTags.Schemas,
        "List the schemas",
        "Every schema the hub embeds: feeds per source and version, the data set, the "
        + "`dataset-published` event and the reference data, each with its `$id` and the URL it is "
        + "served at. Fixed for a deployment.",
        Conditional = true)]
    [ApiAnswer(200, "The schemas, by path (`Cache-Control: no-cache`).", Body = typeof(SchemaList))]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult ListSchemas([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemas")] HttpRequest request) =>
        Send(request, directory.List(), HttpCaching.JsonContentType);

    [Function(nameof(GetSchema))]
    [ApiOperation(
        ApiTags.Schemas,
        "A schema by kind, name and version",
        "A feed or event schema, byte for byte as the hub validates with it (`feeds/transport/1.1`, "
        + "`events/dataset-published/1.1`).",
        Conditional = true)]
    [ApiPath("kind", "`feeds` or `events`.")]
    [ApiPath("name", "A feed source (`statistics`, `power-grid`, `transport`, `environment`) or an event type "
        + "(`dataset-published`).")]
    [ApiPath("version", "The schema version, MAJOR.MINOR.")]
    [ApiAnswer(200, "The JSON Schema (draft 2020-12) (`Cache-Control: no-cache`).", Schema = ApiDocuments.JsonSchema, MediaType = ApiMediaTypes.Schema)]
    [ApiProblem(404, "No such schema; the problem names the first of `kind`, `name` or `version` that matches "
        + "nothing in `parameter`.")]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult GetSchema(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemas/{kind}/{name}/{version}")] HttpRequest request, string kind, string name,
            string version) =>
        Send(request, directory.Get(kind, name, version), SchemaContentType);

    /// <summary>The schemas whose path has two segments: <c>dataset/{version}</c> and <c>reference/{name}</c>.</summary>
    [Function(nameof(GetSchemaOfTwoSegments))]
    [ApiOperation(
        ApiTags.Schemas,
        "A data-set or reference-data schema",
        "A schema whose path has two segments: the data set by version (`dataset/2.0`) or a "
        + "reference-data file by name (`reference/areas`).",
        Conditional = true)]
    [ApiPath("kind", "`dataset` or `reference`.")]
    [ApiPath("item", "The data-set schema version (`2.0`) or the reference-data name (`areas`, `coefficients`, "
        + "`subscribers`, `targets`).")]
    [ApiAnswer(200, "The JSON Schema (draft 2020-12) (`Cache-Control: no-cache`).", Schema = ApiDocuments.JsonSchema, MediaType = ApiMediaTypes.Schema)]
    [ApiProblem(404, "No such schema; `parameter` names the first of `kind` or `item` that matches nothing.")]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult GetSchemaOfTwoSegments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemas/{kind}/{item}")] HttpRequest request, string kind, string item) =>
        Send(request, directory.Get(kind, item), SchemaContentType);

    private static IActionResult Send(HttpRequest request, SchemaAnswer answer, string contentType)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (answer is SchemaAnswer.NotFound missing)
        {
            return Problems.Create(new HubProblem(StatusCodes.Status404NotFound, "Unknown schema") { Detail = missing.Detail, Parameter = missing.Parameter });
        }

        var found = (SchemaAnswer.Found)answer;
        return HttpCaching.Send(request, found.Bytes, contentType, found.ETag, HttpCaching.RevalidateCaching);
    }
}
