using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Functions.Http;
using Microsoft.OpenApi;

namespace IntegrationHub.Functions.OpenApi;

// The document as served: its exact bytes and their strong entity tag.
internal sealed record RenderedOpenApi(byte[] Json, string ETag);

// Builds the OpenAPI document of the app's HTTP surface: every HTTP function found in the assembly, on the path and
// methods of its own trigger, described by its [ApiOperation] attributes (HttpSurface.Catalogue). OpenAPI 3.1, so
// nullable values and references are plain JSON Schema 2020-12, the dialect of the repository's schemas.
internal static class HubOpenApi
{
    public const string ApiKeyHeader = Intake.PushFeedFunction.ApiKeyHeader;
    public const string DepartmentKeyScheme = "departmentKey";
    public const string OpsKeyScheme = "opsKey";
    public const string OpsSignInScheme = "opsSignIn";

    // What the document is served as: the registered OpenAPI media type, with its version.
    public const string ContentType = ApiMediaTypes.OpenApiJson + ";version=3.1";

    private const string ETagHeader = "ETag";
    private const string CacheControlHeader = "Cache-Control";
    private const string IfNoneMatchParameter = "IfNoneMatch";

    // The functions of this assembly do not change while it runs: build and serialise once.
    private static readonly Lazy<RenderedOpenApi> Served = new(() =>
        Render(Build(HttpSurface.Catalogue(typeof(HubOpenApi).Assembly.GetExportedTypes(), OperationCatalog.Operations))));

    public static RenderedOpenApi Current => Served.Value;

    // The document of these operations; a function without one is left out (a test refuses it).
    public static OpenApiDocument Build(ApiCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);

        // Who may call comes from the function's [Access], the rule the request pipeline enforces, never restated.
        var entries = catalogue.Operations.ToDictionary(
            o => o.Route.FunctionName, o => o.Route.Method is { } method ? o.Operation with { Access = ApiOperation.AccessOf(method) } : o.Operation,
                StringComparer.Ordinal);
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "Xiangjiang dual-carbon integration hub",
                Version = typeof(HubOpenApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                    ?? "1.0.0",
                Description = "Departments push and follow feeds; dashboards read the published data sets; ops watch and repair the orchestrations. "
                    + "Errors are RFC 7807 problems (`application/problem+json`). Keys go in the `x-api-key` header: a department's key for its own feeds, "
                    + "the ops key for the ops surface; data sets, pages and the health probe need none. "
                    + $"`GET /feeds/{{feedId}}` is deprecated for `GET /feeds/{{source}}/{{feedId}}` and answered until "
                    + $"{Intake.PushFeedFunction.FeedIdOnlyRoute.Sunset:yyyy-MM-dd}.",

                // As the package manifests say (UNLICENSED); an SPDX LicenseRef, as no SPDX id means "proprietary".
                License = new OpenApiLicense { Name = "Proprietary: all rights reserved (no licence granted)", Identifier = "LicenseRef-Proprietary" },
            },

            // Relative: the document is served at /api/openapi.json, so the paths resolve under /api wherever the app runs.
            Servers = [new OpenApiServer { Url = "/api", Description = "This app." }],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [DepartmentKeyScheme] = ApiKey("A department's key (statistics, power-grid, transport or environment), for its own feeds only."),
                    [OpsKeyScheme] = ApiKey("The ops key, for the ops surface and pulls in local development (refused in Azure unless "
                        + "`Access__AllowOpsKeyInAzure` is true); it may also follow any feed, but not push one."),
                    [OpsSignInScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An Entra ID access token for the hub's app registration: the app role `Ops.Reader` reads the ops surface, "
                            + "`Ops.Operator` also acts on it and starts pulls.",
                    },
                },
                Parameters = new Dictionary<string, IOpenApiParameter>(StringComparer.Ordinal)
                {
                    [IfNoneMatchParameter] = new OpenApiParameter
                    {
                        Name = "If-None-Match",
                        In = ParameterLocation.Header,
                        Description = "An ETag received before: the answer is 304 without a body while it still matches.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
                Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
                {
                    [ETagHeader] = new OpenApiHeader { Description = "Strong entity tag of the body's exact bytes.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    [CacheControlHeader] = new OpenApiHeader
                    {
                        Description = "`public, max-age=31536000, immutable` for what never changes (versions, diffs); `no-cache` for what a "
                            + "new version moves.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
            Tags = new HashSet<OpenApiTag>(ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description })),
            Paths = [],
        };
        ApiSchemas.Register(document, entries.Values.SelectMany(e => e.Types));

        foreach (var shape in catalogue.Operations.Select(o => o.Route).GroupBy(r => r.Shape, StringComparer.Ordinal))
        {
            var names = ParameterNames(shape.ToList(), entries);
            var pieces = shape.Key.Split("{}");
            var path = pieces[0] + string.Concat(names.Select((name, i) => "{" + name + "}" + pieces[i + 1]));
            var item = new OpenApiPathItem { Operations = [] };
            foreach (var route in shape)
            {
                foreach (var method in route.Methods)
                {
                    item.Operations[new HttpMethod(method)] = Operation(document, route, entries[route.FunctionName], names);
                }
            }

            document.Paths[path] = item;
        }

        return document;
    }

    public static RenderedOpenApi Render(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        var json = Encoding.UTF8.GetBytes(text.ToString());
        return new RenderedOpenApi(json, HttpCaching.ETagOf(json));
    }

    // The names of the path's parameters, by position. OpenAPI allows one path per shape, so a deprecated route that
    // shares its shape with a live one (`GET feeds/{feedId}` beside `POST feeds/{source}`) takes the live
    // route's names, and its parameter's description says what the value is for it. Live routes of one shape that name
    // a position differently would share a joined name (`{feedIdOrSource}`); none do.
    private static List<string> ParameterNames(IReadOnlyList<HttpRoute> routes, Dictionary<string, ApiOperation> entries)
    {
        var live = routes.Where(r => entries[r.FunctionName].Deprecation is null).ToList();
        var naming = live.Count > 0 ? live : routes;
        return
        [
            .. Enumerable.Range(0, routes[0].Parameters.Count).Select(i =>
            {
                var names = naming.Select(r => r.Parameters[i].Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return names[0] + string.Concat(names.Skip(1).Select(n => "Or" + char.ToUpperInvariant(n[0]) + n[1..]));
            }),
        ];
    }

    private static OpenApiOperation Operation(OpenApiDocument document, HttpRoute route, ApiOperation entry, IReadOnlyList<string> pathNames)
    {
        var parameters = new List<IOpenApiParameter>();
        foreach (var (parameter, name) in route.Parameters.Zip(pathNames))
        {
            parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = entry.PathParameters.GetValueOrDefault(parameter.Name) ?? ApiTags.CommonPathParameters.GetValueOrDefault(parameter.Name),
                Schema = Schema(parameter.Type, []),
            });
        }

        foreach (var parameter in entry.Parameters)
        {
            var list = parameter.Type == ApiType.StringList;
            parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = parameter.InHeader ? ParameterLocation.Header : ParameterLocation.Query,
                Required = parameter.Required,
                Description = parameter.Description,
                Schema = list ? new OpenApiSchema { Type = JsonSchemaType.Array,
                    Items = Schema(ApiType.String, parameter.Values) } : Schema(parameter.Type, parameter.Values),
                Style = list ? ParameterStyle.Form : null,
                Explode = list,
            });
        }

        if (entry.Conditional)
        {
            parameters.Add(new OpenApiParameterReference(IfNoneMatchParameter, document));
        }

        var responses = new OpenApiResponses();
        foreach (var response in WithAccessResponses(entry))
        {
            var answer = Response(document, response, entry.Conditional);

            // The route marks its own answers; a 401 (and a 503) comes from the request pipeline before it runs.
            if (entry.Deprecation is { } deprecation && response.Status != 401)
            {
                answer.Headers = DeprecationHeaders(deprecation, answer.Headers);
            }

            responses[response.Status.ToString(CultureInfo.InvariantCulture)] = answer;
        }

        if (entry.Conditional)
        {
            responses["304"] = new OpenApiResponse
            {
                Description = "Not modified: the `If-None-Match` tag still matches.",
                Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal) { [ETagHeader] = new OpenApiHeaderReference(ETagHeader, document) },
            };
        }

        // Every route that reads the hub's storage or its task hub answers 503 while they are away (DependencyOutage);
        // the schemas are embedded in the app.
        if (entry.Tag is not (ApiTags.Pages or ApiTags.Host or ApiTags.Schemas))
        {
            var unavailable = Response(document, new ApiResponse(
                503,
                "The hub's storage or its Durable task hub cannot be reached (`dependency`: `storage` or `task-hub`; `audit-log` when an ops "
                    + "action could not be recorded and so was not done; `receipt-key` when a push's receipt could not be signed, and so "
                    + "nothing was received; `schema-gate` when a feed's schema version is held by the schema evolution gate; `sign-in` when "
                    + "the Entra ID tenant's keys could not be read to check an ops token); the detail stays generic; sending the same "
                    + "request again later is safe.",
                "Problem",
                ApiMediaTypes.Problem), conditional: false);
            unavailable.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before sending the request again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
            responses["503"] = unavailable;
        }

        return new OpenApiOperation
        {
            OperationId = route.FunctionName,
            Summary = entry.Summary,
            Description = entry.Deprecation is { } sunset
                ? $"{entry.Description} Answered until {sunset.Sunset:yyyy-MM-dd} (the `Sunset` header), and may be gone after."
                : entry.Description,
            Tags = new HashSet<OpenApiTagReference> { new(entry.Tag, document) },
            Parameters = parameters,
            RequestBody = entry.Body is { } body
                ? new OpenApiRequestBody
                {
                    Description = body.Description,
                    Required = body.Required,
                    Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
                    {
                        [body.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(body.Schema, document) },
                    },
                }
                : null,
            Responses = responses,
            Deprecated = entry.Deprecation is not null,
            Security = Security(document, entry.Access),
            Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal)
            {
                // The same as `security`, in one word a script can switch on.
                ["x-hub-access"] = new JsonNodeExtension(JsonValue.Create(AccessName(entry.Access))),
            },
        };
    }

    // The entry's answers in status order, with 401 and 403 for an operation that wants a key and 429 for the ops key's.
    private static IEnumerable<ApiResponse> WithAccessResponses(ApiOperation entry)
    {
        var responses = entry.Responses.ToList();
        if (entry.Access != ApiAccess.None)
        {
            if (responses.All(r => r.Status != 401))
            {
                responses.Add(new ApiResponse(401, "No key, or a key that is nobody's.", "Problem", ApiMediaTypes.Problem));
            }

            if (responses.All(r => r.Status != 403))
            {
                var forbidden = entry.Access == ApiAccess.Ops
                    ? "A key that is not the ops key, a sign-in without the role this needs, "
                        + "or a call from outside the ops networks (`Access__Ops__AllowedNetworks`)."
                    : "A key that may not do this.";
                responses.Add(new ApiResponse(403, forbidden, "Problem", ApiMediaTypes.Problem));
            }
        }

        if (entry.Access == ApiAccess.Ops && responses.All(r => r.Status != 429))
        {
            responses.Add(new ApiResponse(429,
                "The caller has used its ops calls for now (`Access__RateLimit__OpsPermitsPerMinute`); `Retry-After` says when to try again.",
                "Problem", ApiMediaTypes.Problem)
            {
                RetryAfter = true,
            });
        }

        return responses.OrderBy(r => r.Status);
    }

    // The headers every answer of a deprecated route carries, after the answer's own.
    private static Dictionary<string, IOpenApiHeader> DeprecationHeaders(Http.RouteDeprecation deprecation, IDictionary<string, IOpenApiHeader>? own)
    {
        var headers = new Dictionary<string, IOpenApiHeader>(own ?? new Dictionary<string, IOpenApiHeader>(), StringComparer.Ordinal)
        {
            [Http.RouteDeprecation.DeprecationHeader] = new OpenApiHeader
            {
                Description = $"RFC 9745: deprecated since {deprecation.Since:yyyy-MM-dd} (`{deprecation.DeprecationValue}`).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            [Http.RouteDeprecation.SunsetHeader] = new OpenApiHeader
            {
                Description = $"RFC 8594: answered until `{deprecation.SunsetValue}`; move to the successor before then.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            ["Link"] = new OpenApiHeader
            {
                Description = "The route to use instead, `rel=\"successor-version\"`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        return headers;
    }

    private static OpenApiResponse Response(OpenApiDocument document, ApiResponse response, bool conditional)
    {
        var headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
        if (response.Location)
        {
            headers["Location"] = new OpenApiHeader { Description = "The URL to follow.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        if (response.RetryAfter)
        {
            headers["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before the next request.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };
        }

        if (conditional && response.Status == 200)
        {
            headers[ETagHeader] = new OpenApiHeaderReference(ETagHeader, document);
            headers[CacheControlHeader] = new OpenApiHeaderReference(CacheControlHeader, document);
        }

        return new OpenApiResponse
        {
            Description = response.Description,
            Headers = headers.Count > 0 ? headers : null,
            Content = response.Schema is { } schema
                ? new[] { response.MediaType }.Concat(response.OtherMediaTypes).ToDictionary(
                    m => m, IOpenApiMediaType (_) => new OpenApiMediaType { Schema = SchemaReference(document, schema) }, StringComparer.Ordinal)
                : null,
        };
    }

    private static IOpenApiSchema SchemaReference(OpenApiDocument document, string name) => name.EndsWith("[]", StringComparison.Ordinal)
        ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(name[..^2], document) }
        : new OpenApiSchemaReference(name, document);

    // Alternatives, any one of which is enough; none at all (an empty list) for an operation anyone may call.
    private static List<OpenApiSecurityRequirement> Security(OpenApiDocument document, ApiAccess access)
    {
        OpenApiSecurityRequirement Key(string scheme) => new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
        return access switch
        {
            ApiAccess.Department => [Key(DepartmentKeyScheme)],
            ApiAccess.DepartmentOrOps => [Key(DepartmentKeyScheme), Key(OpsKeyScheme)],
            ApiAccess.Ops => [Key(OpsKeyScheme), Key(OpsSignInScheme)],
            _ => [],
        };
    }

    private static string AccessName(ApiAccess access) => access switch
    {
        ApiAccess.Department => "department",
        ApiAccess.DepartmentOrOps => "department-or-ops",
        ApiAccess.Ops => "ops",
        _ => "none",
    };

    private static OpenApiSecurityScheme ApiKey(string description) =>
        new() { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyHeader, Description = description };

    private static OpenApiSchema Schema(ApiType type, IReadOnlyList<string> values) => type switch
    {
        ApiType.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
        ApiType.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        ApiType.DateTime => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        _ => new OpenApiSchema { Type = JsonSchemaType.String, Enum = values.Count > 0 ? [.. values.Select(v => (JsonNode)JsonValue.Create(v))] : null },
    };
}
