using System.Reflection;
using IntegrationHub.Functions.Http;

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

    /// <summary>The C# types its bodies are, whose component schemas the document generates.</summary>
    public IReadOnlyList<Type> Types { get; init; } = [];

    /// <summary>The operation an HTTP function's attributes declare; null when it declares none.</summary>
    public static ApiOperation? Of(System.Reflection.MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (ApiStackAttribute.Declared<ApiOperationAttribute>(method).SingleOrDefault() is not { } declared)
        {
            return null;
        }

        var types = new List<Type>();
        string Named(Type type)
        {
            types.Add(type.IsArray ? type.GetElementType()! : type);
            return ApiSchemas.NameOf(type);
        }

        List<ApiResponse> responses =
        [
            .. ApiStackAttribute.Declared<ApiAnswerAttribute>(method).Select(a => new ApiResponse(
                a.Status, a.Description, a.Body is { } body ? Named(body) : a.Schema, a.MediaType)
            {
                Location = a.Location,
                RetryAfter = a.RetryAfter,
                OtherMediaTypes = a.OtherMediaTypes,
            }),
            .. ApiStackAttribute.Declared<ApiProblemAttribute>(method).Select(p => new ApiResponse(p.Status, p.Description, p.Schema, ApiMediaTypes.Problem)
            {
                RetryAfter = p.RetryAfter,
            }),
        ];
        List<ApiParameter> parameters =
            [.. ApiStackAttribute.Declared<ApiQueryAttribute>(method).Select(q => new ApiParameter(q.Name, q.Description, q.Type, q.Required,
                q.InHeader) { Values = q.Values })];
        var body = declared.Body is { } type ? Named(type) : declared.BodySchema;
        var bodyDescription = declared.BodyDescription ?? "";
        var bodyRequired = !declared.BodyOptional;
        if (ApiStackAttribute.Declared<ApiReasonAttribute>(method).SingleOrDefault() is { } reason)
        {
            body = Named(reason.Body);
            (bodyDescription, bodyRequired) = ("Optional: `{\"reason\": \"…\"}`, instead of the query parameter.", false);
            parameters.Add(new ApiParameter("reason", "Why (kept in the audit log), at most 1000 characters; or `{\"reason\": …}` in the body."));
            responses.Add(new ApiResponse(400, "An unreadable reason.", ApiDocuments.Problem, ApiMediaTypes.Problem));
        }

        var deprecation = declared.DeprecatedBy is { } field
            ? (Http.RouteDeprecation?)method.DeclaringType!.GetField(field,
                System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null)
                ?? throw new InvalidOperationException($"{method.Name}: no static RouteDeprecation field {field}.")
            : null;
        return new ApiOperation(declared.Tag, AccessOf(method), declared.Summary, declared.Description)
        {
            PathParameters = ApiStackAttribute.Declared<ApiPathAttribute>(method).ToDictionary(p => p.Name, p => p.Description, StringComparer.Ordinal),
            Parameters = parameters,
            Body = body is null ? null : new ApiBody(bodyDescription, body, bodyRequired),
            Responses = [.. responses.OrderBy(r => r.Status)],
            Conditional = declared.Conditional,
            Deprecation = deprecation,
            Types = types,
        };
    }

    /// <summary>Which credential the function's <c>[Access]</c> policy wants: the rule the request pipeline enforces.</summary>
    public static ApiAccess AccessOf(System.Reflection.MethodInfo method) => Http.AccessAttribute.Of(method).Policy switch
    {
        Http.AccessPolicy.OwnSource => ApiAccess.Department,
        Http.AccessPolicy.AnyKey => ApiAccess.DepartmentOrOps,
        Http.AccessPolicy.Ops => ApiAccess.Ops,
        _ => ApiAccess.None,
    };
}
