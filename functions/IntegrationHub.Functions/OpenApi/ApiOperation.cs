using System.Reflection;
using IntegrationHub.Functions.Http;

namespace IntegrationHub.Functions.OpenApi;

// Which credential an operation wants in the x-api-key header.
internal enum ApiAccess
{
    // No key: published data, pages and the health probe.
    None,

    // The key of the department the route names.
    Department,

    // The department's own key, or the ops key.
    DepartmentOrOps,

    // The ops key only.
    Ops,
}

// A query or header parameter (path parameters come from the route template itself).
internal sealed record ApiParameter(string Name, string Description, ApiType Type = ApiType.String, bool Required = false, bool InHeader = false)
{
    // The values a text parameter may take, when they are a closed set.
    public IReadOnlyList<string> Values { get; init; } = [];
}

// One answer of an operation. Schema names a schema of the document's components (a trailing [] makes it an array of
// them); null means no body.
internal sealed record ApiResponse(int Status, string Description, string? Schema, string MediaType = ApiMediaTypes.Json)
{
    // The answer sets Location (the URL to follow).
    public bool Location { get; init; }

    // The answer sets Retry-After (seconds to wait).
    public bool RetryAfter { get; init; }

    // Further media types the same answer may come as (with the same schema).
    public IReadOnlyList<string> OtherMediaTypes { get; init; } = [];
}

// The request body of an operation: one media type, one schema of the components.
internal sealed record ApiBody(string Description, string Schema, bool Required = true, string MediaType = ApiMediaTypes.Json);

// What the document says about one HTTP function. The path and the methods are not here: they come from the function's
// own [HttpTrigger], so the document cannot name a route the app does not serve.
internal sealed record ApiOperation(string Tag, ApiAccess Access, string Summary, string Description)
{
    // Descriptions of the route's own parameters, by name; a name not given uses the common one.
    public IReadOnlyDictionary<string, string> PathParameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    public ApiBody? Body { get; init; }

    // The answers. 401 and 403 are added for operations that want a key, and 429 for those of the ops key, unless
    // listed here with their own words.
    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];

    // The answer carries a strong ETag and Cache-Control, and If-None-Match gets 304: the document adds the header
    // parameter, the response headers and the 304.
    public bool Conditional { get; init; }

    // A route kept for existing clients until its sunset: the operation is deprecated, and its answers carry
    // Deprecation, Sunset and a Link to the successor.
    public Http.RouteDeprecation? Deprecation { get; init; }

    // The C# types its bodies are, whose component schemas the document generates.
    public IReadOnlyList<Type> Types { get; init; } = [];

    // The operation an HTTP function's attributes declare; null when it declares none.
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

    // Which credential the function's [Access] policy wants: the rule the request pipeline enforces.
    public static ApiAccess AccessOf(System.Reflection.MethodInfo method) => Http.AccessAttribute.Of(method).Policy switch
    {
        Http.AccessPolicy.OwnSource => ApiAccess.Department,
        Http.AccessPolicy.AnyKey => ApiAccess.DepartmentOrOps,
        Http.AccessPolicy.Ops => ApiAccess.Ops,
        _ => ApiAccess.None,
    };
}
