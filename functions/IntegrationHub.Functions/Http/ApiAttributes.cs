namespace IntegrationHub.Functions.Http;

/// <summary>
/// The OpenAPI operation of one HTTP function, declared on its <c>[Function]</c> method. The path and methods come from
/// its <c>[HttpTrigger]</c>, who may call it from its <c>[Access]</c>; the answers from <see cref="ApiAnswerAttribute"/>s.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class ApiOperationAttribute(string tag, string summary, string description) : Attribute
{
    /// <summary>One of <see cref="ApiTags"/>.</summary>
    public string Tag { get; } = tag;

    public string Summary { get; } = summary;

    public string Description { get; } = description;

    /// <summary>Strong <c>ETag</c> and <c>Cache-Control</c> on the answer, and 304 for a matching <c>If-None-Match</c>.</summary>
    public bool Conditional { get; set; }

    /// <summary>The request body's type (a C# type, or an array of one); null with <see cref="BodySchema"/> unset: none.</summary>
    public Type? Body { get; set; }

    /// <summary>The request body as a document that is no C# type: one of <see cref="ApiDocuments"/>.</summary>
    public string? BodySchema { get; set; }

    public string? BodyDescription { get; set; }

    public bool BodyOptional { get; set; }

    /// <summary>
    /// A route kept for existing clients: the name of a static <see cref="RouteDeprecation"/> field of the
    /// function's class, which the route applies; the operation is deprecated and its answers list the headers.
    /// </summary>
    public string? DeprecatedBy { get; set; }
}

/// <summary>
/// One answer of an operation: its body is the C# type <see cref="Body"/> writes (its schema generated from the type),
/// or a named document that is no C# type (<see cref="Schema"/>), or nothing. 401 and 403 are added for operations that
/// want a key, 429 for the ops surface's, and 503 for routes that read storage, unless listed here in their own words.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal sealed class ApiAnswerAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    public Type? Body { get; set; }

    public string? Schema { get; set; }

    public string MediaType { get; set; } = ApiMediaTypes.Json;

    /// <summary>Further media types the same answer may come as (with the same schema).</summary>
    public string[] OtherMediaTypes { get; set; } = [];

    /// <summary>The answer sets <c>Location</c>.</summary>
    public bool Location { get; set; }

    /// <summary>The answer sets <c>Retry-After</c>.</summary>
    public bool RetryAfter { get; set; }
}

/// <summary>An RFC 7807 problem answer; a flow may derive one whose words come from its own rules.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal class ApiProblemAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    /// <summary>A problem schema of <see cref="ApiDocuments"/> other than the plain <c>Problem</c>.</summary>
    public string Schema { get; set; } = ApiDocuments.Problem;

    public bool RetryAfter { get; set; }
}

/// <summary>A query (or header) parameter of an operation; path parameters come from the route template.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal sealed class ApiQueryAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public ApiType Type { get; set; } = ApiType.String;

    public bool Required { get; set; }

    public bool InHeader { get; set; }

    /// <summary>The values a text parameter may take, when they are a closed set.</summary>
    public string[] Values { get; set; } = [];
}

/// <summary>What a route parameter means on this route, when not what <see cref="ApiTags.CommonPathParameters"/> says.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal sealed class ApiPathAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>On an answer record's text property: the values it takes (an enum in the document, a string in C#).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class ApiValuesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>On an answer record's property: the value is the named component of <see cref="ApiDocuments"/> (e.g. a receipt).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class ApiRefAttribute(string component) : Attribute
{
    public string Component { get; } = component;
}

/// <summary>A record that the document names as a component of its own wherever another answer holds it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class ApiSchemaAttribute(string? name = null) : Attribute
{
    /// <summary>The component's name when it is not the type's.</summary>
    public string? Name { get; } = name;
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

/// <summary>The component names of the documents no C# type describes, for answers to name.</summary>
internal static class ApiDocuments
{
    public const string Problem = "Problem";
    public const string Receipt = "Receipt";
    public const string Feed = "Feed";
    public const string JsonSchema = "JsonSchema";
    public const string Html = "Html";
    public const string Asset = "Asset";
    public const string OpenApi = "OpenApi";
    public const string InvalidFeedProblem = "InvalidFeedProblem";
    public const string FeedCheckProblem = "FeedCheckProblem";
    public const string InstanceConflictProblem = "InstanceConflictProblem";
    public const string ReprocessProblem = "ReprocessProblem";
    public const string NotReadyProblem = "NotReadyProblem";
    public const string PushLimitProblem = "PushLimitProblem";
}

/// <summary>
/// An ops action that records why (<c>OpsCall.RunWithReasonAsync</c>): the optional <c>{"reason": …}</c> body of type
/// <paramref name="body"/>, the <c>reason</c> query parameter and the 400 for an unreadable one, declared once.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class ApiReasonAttribute(Type body) : Attribute
{
    public Type Body { get; } = body;
}

/// <summary>
/// One attribute standing for a stack of the others, e.g. a row of a flow's own table: the document reads its
/// <see cref="Parts"/> as if each were on the method.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal abstract class ApiStackAttribute : Attribute
{
    public abstract IReadOnlyList<Attribute> Parts { get; }

    /// <summary>The <typeparamref name="T"/> of <paramref name="method"/>: its own, then its stack's.</summary>
    public static IEnumerable<T> Declared<T>(System.Reflection.MemberInfo method)
        where T : Attribute
    {
        ArgumentNullException.ThrowIfNull(method);
        return [.. method.GetCustomAttributes(typeof(T), false).Cast<T>(),
            .. method.GetCustomAttributes(typeof(ApiStackAttribute), false).Cast<ApiStackAttribute>().SelectMany(s => s.Parts.OfType<T>())];
    }
}
