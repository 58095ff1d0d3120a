namespace IntegrationHub.Functions.Http;

// The OpenAPI operation of one HTTP function, declared on its [Function] method. The path and methods come from its
// [HttpTrigger], who may call it from its [Access]; the answers from ApiAnswerAttributes.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class ApiOperationAttribute(string tag, string summary, string description) : Attribute
{
    // One of ApiTags.
    public string Tag { get; } = tag;

    public string Summary { get; } = summary;

    public string Description { get; } = description;

    // Strong ETag and Cache-Control on the answer, and 304 for a matching If-None-Match.
    public bool Conditional { get; set; }

    // The request body's type (a C# type, or an array of one); null with BodySchema unset: none.
    public Type? Body { get; set; }

    // The request body as a document that is no C# type: one of ApiDocuments.
    public string? BodySchema { get; set; }

    public string? BodyDescription { get; set; }

    public bool BodyOptional { get; set; }

    // A route kept for existing clients: the name of a static RouteDeprecation field of the function's class, which the
    // route applies; the operation is deprecated and its answers list the headers.
    public string? DeprecatedBy { get; set; }
}

// One answer of an operation: its body is the C# type Body writes (its schema generated from the type), or a named
// document that is no C# type (Schema), or nothing. 401 and 403 are added for operations that want a key, 429 for the
// ops surface's, and 503 for routes that read storage, unless listed here in their own words.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal sealed class ApiAnswerAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    public Type? Body { get; set; }

    public string? Schema { get; set; }

    public string MediaType { get; set; } = ApiMediaTypes.Json;

    // Further media types the same answer may come as (with the same schema).
    public string[] OtherMediaTypes { get; set; } = [];

    // The answer sets Location.
    public bool Location { get; set; }

    // The answer sets Retry-After.
    public bool RetryAfter { get; set; }
}

// An RFC 7807 problem answer; a flow may derive one whose words come from its own rules.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal class ApiProblemAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    // A problem schema of ApiDocuments other than the plain Problem.
    public string Schema { get; set; } = ApiDocuments.Problem;

    public bool RetryAfter { get; set; }
}

// A query (or header) parameter of an operation; path parameters come from the route template.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal sealed class ApiQueryAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public ApiType Type { get; set; } = ApiType.String;

    public bool Required { get; set; }

    public bool InHeader { get; set; }

    // The values a text parameter may take, when they are a closed set.
    public string[] Values { get; set; } = [];
}

// What a route parameter means on this route, when not what ApiTags.CommonPathParameters says.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal sealed class ApiPathAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

// On an answer record's text property: the values it takes (an enum in the document, a string in C#).
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class ApiValuesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

// On an answer record's property: the value is the named component of ApiDocuments (e.g. a receipt).
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class ApiRefAttribute(string component) : Attribute
{
    public string Component { get; } = component;
}

// A record that the document names as a component of its own wherever another answer holds it.
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class ApiSchemaAttribute(string? name = null) : Attribute
{
    // The component's name when it is not the type's.
    public string? Name { get; } = name;
}

// The value types a parameter or a simple property can have in the document.
internal enum ApiType
{
    String,
    Integer,
    Boolean,
    DateTime,

    // Text values, repeated or comma-separated.
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

    // A JSON Schema document (JSON Schema 2020-12 core, §14.2).
    public const string Schema = "application/schema+json";

    // The media type registered for OpenAPI documents in JSON.
    public const string OpenApiJson = "application/vnd.oai.openapi+json";

    // RFC 7517's media type of a JWK set.
    public const string JwkSet = Core.Receipts.JwkSet.MediaType;
}

// The component names of the documents no C# type describes, for answers to name.
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

// An ops action that records why (OpsCall.RunWithReasonAsync): the optional {"reason": …} body of type body, the reason
// query parameter and the 400 for an unreadable one, declared once.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class ApiReasonAttribute(Type body) : Attribute
{
    public Type Body { get; } = body;
}

// One attribute standing for a stack of the others, e.g. a row of a flow's own table: the document reads its Parts as
// if each were on the method.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal abstract class ApiStackAttribute : Attribute
{
    public abstract IReadOnlyList<Attribute> Parts { get; }

    // The T of method: its own, then its stack's.
    public static IEnumerable<T> Declared<T>(System.Reflection.MemberInfo method)
        where T : Attribute
    {
        ArgumentNullException.ThrowIfNull(method);
        return [.. method.GetCustomAttributes(typeof(T), false).Cast<T>(),
            .. method.GetCustomAttributes(typeof(ApiStackAttribute), false).Cast<ApiStackAttribute>().SelectMany(s => s.Parts.OfType<T>())];
    }
}
