namespace IntegrationHub.Functions.OpenApi;

/// <summary>Which credential an operation wants in the <c>x-api-key</c> header.</summary>
internal enum ApiAccess
{
    /// <summary>No key: published data, pages and the health probe.</summary>
    None,

    /// <summary>The key of the department the route names.</summary>
    Department,

    /// <summary>The department's own key, or the ops key.</summary>
    DepartmentOrOps,

    /// <summary>The ops key only.</summary>
    Ops,
}

/// <summary>The value types a parameter or a simple property can have in the document.</summary>
internal enum ApiType
{
    String,
    Integer,
    Boolean,
    DateTime,

    /// <summary>Text values, repeated or comma-separated.</summary>
    StringList,
}

/// <summary>A query or header parameter (path parameters come from the route template itself).</summary>
internal sealed record ApiParameter(string Name, string Description, ApiType Type = ApiType.String, bool Required = false, bool InHeader = false)
{
    /// <summary>The values a text parameter may take, when they are a closed set.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];
}

/// <summary>
/// One answer of an operation. <paramref name="Schema"/> names a schema of the document's components (a trailing
/// <c>[]</c> makes it an array of them); null means no body.
/// </summary>
internal sealed record ApiResponse(int Status, string Description, string? Schema, string MediaType = ApiMediaTypes.Json)
{
    /// <summary>The answer sets <c>Location</c> (the URL to follow).</summary>
    public bool Location { get; init; }

    /// <summary>The answer sets <c>Retry-After</c> (seconds to wait).</summary>
    public bool RetryAfter { get; init; }

    /// <summary>Further media types the same answer may come as (with the same schema).</summary>
    public IReadOnlyList<string> OtherMediaTypes { get; init; } = [];
}

/// <summary>The request body of an operation: one media type, one schema of the components.</summary>
internal sealed record ApiBody(string Description, string Schema, bool Required = true, string MediaType = ApiMediaTypes.Json);

/// <summary>
/// What the document says about one HTTP function. The path and the methods are not here: they come from the
/// function's own <c>[HttpTrigger]</c>, so the document cannot name a route the app does not serve.
/// </summary>
internal sealed record ApiOperation(string Tag, ApiAccess Access, string Summary, string Description)
{
    /// <summary>Descriptions of the route's own parameters, by name; a name not given uses the common one.</summary>
    public IReadOnlyDictionary<string, string> PathParameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    public ApiBody? Body { get; init; }

    /// <summary>
    /// The answers. 401 and 403 are added for operations that want a key, and 429 for those of the ops key, unless
    /// listed here with their own words.
    /// </summary>
    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];

    /// <summary>
    /// The answer carries a strong <c>ETag</c> and <c>Cache-Control</c>, and <c>If-None-Match</c> gets 304: the
    /// document adds the header parameter, the response headers and the 304.
    /// </summary>
    public bool Conditional { get; init; }

    /// <summary>
    /// A route kept for existing clients until its sunset: the operation is <c>deprecated</c>, and its answers carry
    /// <c>Deprecation</c>, <c>Sunset</c> and a <c>Link</c> to the successor.
    /// </summary>
    public Http.RouteDeprecation? Deprecation { get; init; }
}

internal static class ApiMediaTypes
{
    public const string Json = "application/json";
    public const string Problem = Problems.ContentType;
    public const string Html = "text/html";
    public const string Css = "text/css";
    public const string JavaScript = "text/javascript";
    public const string Text = "text/plain";

    /// <summary>A JSON Schema document (JSON Schema 2020-12 core, §14.2).</summary>
    public const string Schema = "application/schema+json";

    /// <summary>The media type registered for OpenAPI documents in JSON.</summary>
    public const string OpenApiJson = "application/vnd.oai.openapi+json";

    /// <summary>RFC 7517's media type of a JWK set.</summary>
    public const string JwkSet = Core.Receipts.JwkSet.MediaType;
}
