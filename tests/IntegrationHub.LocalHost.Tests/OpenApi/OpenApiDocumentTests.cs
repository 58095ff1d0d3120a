using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using IntegrationHub.Functions;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace IntegrationHub.LocalHost.Tests.OpenApi;

/// <summary>
/// <c>GET /api/openapi.json</c> on the running local host: a valid OpenAPI 3 document, describing exactly the HTTP
/// functions the host serves (found the way the host finds them, so a function added later is checked too), and
/// agreeing with what the routes really answer.
/// </summary>
public sealed partial class OpenApiDocumentTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private const string DocumentPath = "/api/openapi.json";

    private static readonly HttpMethod[] DocumentableMethods =
        [HttpMethod.Get, HttpMethod.Put, HttpMethod.Post, HttpMethod.Delete, HttpMethod.Options, HttpMethod.Head, HttpMethod.Patch, HttpMethod.Trace];

    private HubApi Api => hub.Api;

    [Fact]
    public async Task OpenApiJson_Served_ParsesAsOpenApi3WithoutErrorsOrWarnings()
    {
        var answer = await Api.GetAsync(DocumentPath);

        Assert.True(answer.Status == 200, $"GET {DocumentPath} should answer 200; got {answer}");
        Assert.Equal("application/vnd.oai.openapi+json", answer.MediaType);
        var (document, diagnostic) = OpenApiDocument.Parse(answer.Body, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(diagnostic is not null && document is not null, "The reader returned no document.");
        Assert.True(diagnostic.Errors.Count == 0, "Reader errors: " + string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(diagnostic.Warnings.Count == 0, "Reader warnings: " + string.Join("; ", diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(diagnostic.SpecificationVersion is OpenApiSpecVersion.OpenApi3_0 or OpenApiSpecVersion.OpenApi3_1,
            $"Specification version {diagnostic.SpecificationVersion}");
        var problems = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(problems.Count == 0, "Validation: " + string.Join("; ", problems.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Equal("/api", Assert.Single(document.Servers!).Url);
    }

    [Fact]
    public async Task OpenApiJson_SameDocumentAskedAgainWithItsETag_Answers304()
    {
        var first = await SendAsync(DocumentPath, etag: null);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak, "The document's ETag should be strong.");

        var again = await SendAsync(DocumentPath, etag);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
    }

    [Fact]
    public async Task OpenApiJson_EveryHttpFunction_HasExactlyOneOperationOnItsRouteAndMethod()
    {
        var document = await ReadDocumentAsync();
        var documented = Operations(document).ToList();

        // What the host serves, found as the host finds it: every [Function] with an [HttpTrigger], on /api/{route}.
        var served = FunctionCatalog.Discover(typeof(HubServiceCollectionExtensions).Assembly)
            .Where(f => f.Trigger == TriggerKind.Http)
            .SelectMany(f => Methods(f.Http.Methods).Select(m =>
                (Function: f.Name, Method: m, Path: Normalise("/api/" + (f.Http.Route ?? f.Name).TrimStart('/')))))
            .ToList();

        var undocumented = served.Where(s => !documented.Any(d => d.Method == s.Method && d.Path == s.Path)).ToList();
        var notServed = documented.Where(d => !served.Any(s => s.Method == d.Method && s.Path == d.Path)).ToList();
        Assert.True(undocumented.Count == 0, "Served but not documented: " + string.Join(", ", undocumented.Select(u => $"{u.Function} {u.Method} {u.Path}")));
        Assert.True(notServed.Count == 0, "Documented but not served: " + string.Join(", ", notServed.Select(n => $"{n.OperationId} {n.Method} {n.Path}")));

        // One operation per function and method, named after the function.
        foreach (var function in served)
        {
            var matching = documented.Where(d => d.Method == function.Method && d.Path == function.Path).ToList();
            var operation = Assert.Single(matching);
            Assert.Equal(function.Function, operation.OperationId);
        }

        Assert.Equal(documented.Count, documented.Select(d => d.OperationId + " " + d.Method).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task OpenApiJson_EveryOperation_SaysWhichKeyItNeedsAndHowItFails()
    {
        var document = await ReadDocumentAsync();

        foreach (var (operationId, method, path, operation) in Operations(document))
        {
            var what = $"{operationId} ({method} {path})";
            Assert.False(string.IsNullOrWhiteSpace(operation.Summary), $"{what} has no summary.");
            Assert.NotNull(operation.Security);
            var schemes = operation.Security.SelectMany(r => r.Keys).Select(k => k.Reference.Id!).ToHashSet(StringComparer.Ordinal);
            var errors = operation.Responses!.Where(r => r.Key[0] is '4' or '5').ToList();
            foreach (var (status, response) in errors)
            {
                Assert.True(response.Content?.ContainsKey("application/problem+json") == true,
                    $"{what}: {status} should be an application/problem+json problem.");
            }

            if (path.StartsWith("/api/ops/", StringComparison.Ordinal) || path == "/api/ops")
            {
                Assert.Equal(["opsKey", "opsSignIn"], schemes.Order(StringComparer.Ordinal));
            }

            // What a client can get wrong (a key, a parameter, a body) has a documented 4xx (redocly.yaml leaves this to here).
            var input = schemes.Count > 0 || operation.RequestBody is not null
                || (operation.Parameters ?? []).Any(p => p.Name != "If-None-Match");
            Assert.True(!input || errors.Any(e => e.Key[0] == '4'), $"{what} takes a key, a parameter or a body but lists no 4xx.");

            if (schemes.Count > 0)
            {
                Assert.Contains("401", operation.Responses!.Keys);
                Assert.Contains("403", operation.Responses!.Keys);
                // Keys travel in the key header; a sign-in as an Entra ID bearer token.
                Assert.All(schemes.Where(s => s != "opsSignIn"), s => Assert.Equal(ParameterLocation.Header, document.Components!.SecuritySchemes![s].In));
                Assert.All(schemes.Where(s => s != "opsSignIn"), s => Assert.Equal(Keys.Header, document.Components!.SecuritySchemes![s].Name));
                Assert.All(schemes.Where(s => s == "opsSignIn"), s => Assert.Equal(("http", "bearer", "JWT"),
                    (document.Components!.SecuritySchemes![s].Type.ToString()!.ToLowerInvariant(),
                        document.Components.SecuritySchemes[s].Scheme,
                        document.Components.SecuritySchemes[s].BearerFormat)));
            }
        }

        Assert.Equal(["departmentKey"], Security(document, "/api/feeds/{source}", HttpMethod.Post));
        Assert.Equal(["departmentKey", "opsKey"], Security(document, "/api/feeds/{source}/{feedId}", HttpMethod.Get));
        Assert.Equal(["departmentKey", "opsKey"], Security(document, "/api/feeds/{feedId}", HttpMethod.Get));
        Assert.Equal(["opsKey", "opsSignIn"], Security(document, "/api/pulls/{source}/{period}", HttpMethod.Post));
        Assert.Empty(Security(document, "/api/datasets/{period}", HttpMethod.Get));
        Assert.Empty(Security(document, "/api/health", HttpMethod.Get));
        Assert.Equal(["departmentKey"], Security(document, "/api/feeds/{source}/validate", HttpMethod.Post));
        Assert.Empty(Security(document, "/api/schemas", HttpMethod.Get));
        Assert.Empty(Security(document, "/api/schemas/{kind}/{name}/{version}", HttpMethod.Get));
        Assert.Empty(Security(document, "/api/schemas/{kind}/{item}", HttpMethod.Get));
    }

    [Fact]
    public async Task OpenApiJson_FeedRoutes_EachPathParameterNamesOneThing_AndTheOldFormIsDeprecatedWithItsSunset()
    {
        var document = await ReadDocumentAsync();

        Assert.Equal(["source"], PathParameters(Operation(document, "/api/feeds/{source}", HttpMethod.Post)));
        Assert.Equal(["source", "feedId"], PathParameters(Operation(document, "/api/feeds/{source}/{feedId}", HttpMethod.Get)));
        Assert.Equal(["source"], PathParameters(Operation(document, "/api/feeds/{source}/validate", HttpMethod.Post)));
        Assert.Equal(["GetFeedStatus", "PushFeed", "ValidateFeed"],
            Operations(document).Where(o => !o.Operation.Deprecated).Where(o =>
                o.Path.StartsWith("/api/feeds/", StringComparison.Ordinal)).Select(o =>
                o.OperationId).Order(StringComparer.Ordinal));

        // No path joins two meanings into one name any more, e.g. {feedIdOrSource}.
        var joined = document.Paths.Keys.Where(p => JoinedName().IsMatch(p)).ToList();
        Assert.True(joined.Count == 0, "Joined parameter names: " + string.Join(", ", joined));

        // The old form, on the shape it shares with the push: deprecated, its date in the words, its headers listed.
        var old = Operation(document, "/api/feeds/{feedId}", HttpMethod.Get);
        Assert.True(old.Deprecated, "GET /api/feeds/{feedId} should be marked deprecated.");
        Assert.Contains("2027-06-30", old.Description, StringComparison.Ordinal);
        Assert.Equal(["Deprecation", "Link", "Sunset"], old.Responses!["200"].Headers!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Deprecation", "Link", "Sunset"], old.Responses!["404"].Headers!.Keys.Order(StringComparer.Ordinal));
        Assert.False(Operation(document, "/api/feeds/{source}", HttpMethod.Post).Deprecated);
    }

    [Fact]
    public async Task OpenApiJson_Receipts_TheKeysRouteAndEveryAnswerCarryingAReceiptAreDocumented()
    {
        var document = await ReadDocumentAsync();

        // Public keys: no key needed, served as RFC 7517's JWK set.
        var keys = Operation(document, "/api/receipts/keys", HttpMethod.Get);
        Assert.Empty(Security(document, "/api/receipts/keys", HttpMethod.Get));
        Assert.Equal(["application/jwk-set+json"], keys.Responses!["200"].Content!.Keys);

        var schemas = document.Components!.Schemas!;
        foreach (var name in new[] { "FeedAccepted", "FeedDuplicate", "FeedStatus" })
        {
            Assert.True(schemas[name].Properties!.ContainsKey("receipt"), $"{name} should list `receipt`.");
        }

        Assert.Contains("receipt", schemas["FeedAccepted"].Required!);
        Assert.Contains(schemas["InvalidFeedProblem"].AllOf!, part => part.Properties?.ContainsKey("receipt") == true);
        Assert.Equal(JsonSchemaType.String, schemas["Receipt"].Type);
    }

    /// <summary>
    /// Redocly CLI (local-dev's npm tools, as tests/run.sh installs them) lints the served document with its
    /// recommended rules and the repository's redocly.yaml: no errors and no warnings.
    /// </summary>
    [Fact]
    public async Task OpenApiJson_Served_LintsCleanWithRedocly()
    {
        var answer = await Api.GetAsync(DocumentPath);
        Assert.Equal(200, answer.Status);
        var file = Path.Combine(Path.GetTempPath(), $"hub-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, answer.Body);
        try
        {
            var cli = Path.Combine(RepoPaths.Root, "local-dev", "node_modules", "@redocly", "cli", "bin", "cli.js");
            Assert.True(File.Exists(cli), $"{cli} is missing: run `npm ci --prefix local-dev` (tests/run.sh does).");
            var config = Path.Combine(RepoPaths.Root, "redocly.yaml");
            var (exitCode, stdout, stderr) = await RunAsync("node", [cli, "lint", file, "--config", config, "--format", "json", "--max-problems", "200"]);

            var what = $"redocly lint exited {exitCode}:{Environment.NewLine}{stdout}{Environment.NewLine}{stderr}";
            Assert.True(exitCode == 0, what);
            var totals = System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("totals");
            Assert.True(totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0, what);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true,
            RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry call out of a test run.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static List<string> PathParameters(OpenApiOperation operation) =>
        [.. (operation.Parameters ?? []).Where(p => p.In == ParameterLocation.Path).Select(p => p.Name!)];

    [Fact]
    public async Task RealAnswers_OfSeveralRoutes_AreStatusesAndMediaTypesTheDocumentLists()
    {
        var document = await ReadDocumentAsync();
        var transport = SampleFeed.Load("transport-2024-06-r0.json");

        // Published data without a key: an unknown period, a malformed one, the list and its revalidation.
        AssertDocumented(document, HttpMethod.Get, "/api/datasets/{period}", await Api.GetAsync("/api/datasets/2019-Q1"), expected: 404);
        AssertDocumented(document, HttpMethod.Get, "/api/datasets/{period}", await Api.GetAsync("/api/datasets/not-a-period"), expected: 400);
        AssertDocumented(document, HttpMethod.Get, "/api/datasets/{period}/versions/{n}", await Api.GetAsync("/api/datasets/2019/versions/3"), expected: 404);
        AssertDocumented(document, HttpMethod.Get, "/api/datasets", await Api.GetAsync("/api/datasets"), expected: 200);
        var list = await SendAsync("/api/datasets", etag: null);
        var revalidated = await SendAsync("/api/datasets", list.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.True(Responses(document, "/api/datasets", HttpMethod.Get).ContainsKey("304"),
            "GET /api/datasets answers 304 but the document does not list it.");
        AssertDocumented(document, HttpMethod.Get, "/api/health", await Api.GetAsync("/api/health"), expected: 200);

        // Keys: none, another department's, the ops key where a department's is wanted; an unknown source.
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}", await Api.PushAsync("transport", transport.Bytes, key: ""), expected: 401);
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}", await Api.PushAsync("transport", transport.Bytes, key: Keys.Ops), expected: 403);
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}",
            await Api.PushAsync("no-such-source", transport.Bytes, key: Keys.Transport), expected: 404);
        AssertDocumented(document, HttpMethod.Get, "/api/ops/instances", await Api.GetAsync("/api/ops/instances", Keys.Statistics), expected: 403);
        AssertDocumented(document, HttpMethod.Get, "/api/ops/instances/{instanceId}",
            await Api.GetAsync("/api/ops/instances/no-such-instance", Keys.Ops), expected: 404);
        AssertDocumented(document, HttpMethod.Get, "/api/feeds/{source}/{feedId}",
            await Api.FeedStatusAsync("transport-2024-06-r0-0000000000000000"), expected: 404);
        AssertDocumented(document, HttpMethod.Get, "/api/feeds/{feedId}",
            await Api.GetAsync("/api/feeds/transport-2024-06-r0-0000000000000000", Keys.Ops), expected: 404);

        // Schemas without a key: the catalogue, a schema, its revalidation, an unknown one; a feed checked, valid and not.
        AssertDocumented(document, HttpMethod.Get, "/api/schemas", await Api.GetAsync("/api/schemas"), expected: 200);
        AssertDocumented(document, HttpMethod.Get, "/api/schemas/{kind}/{name}/{version}",
            await Api.GetAsync("/api/schemas/feeds/transport/1.1"), expected: 200);
        AssertDocumented(document, HttpMethod.Get, "/api/schemas/{kind}/{name}/{version}",
            await Api.GetAsync("/api/schemas/feeds/transport/0.9"), expected: 404);
        AssertDocumented(document, HttpMethod.Get, "/api/schemas/{kind}/{item}", await Api.GetAsync("/api/schemas/dataset/2.0"), expected: 200);
        AssertDocumented(document, HttpMethod.Get, "/api/schemas/{kind}/{item}", await Api.GetAsync("/api/schemas/reference/nothing"), expected: 404);
        var schema = await SendAsync("/api/schemas/reference/areas", etag: null);
        Assert.Equal(HttpStatusCode.NotModified, (await SendAsync("/api/schemas/reference/areas", schema.Headers.ETag)).StatusCode);
        Assert.True(Responses(document, "/api/schemas/{kind}/{item}", HttpMethod.Get).ContainsKey("304"),
            "A schema answers 304 but the document does not list it.");
        var invalid = SampleFeed.Load(Path.Combine("invalid", "nev-exceeds-total.json"));
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}/validate",
            await Api.SendAsync(HttpMethod.Post, "/api/feeds/transport/validate", Keys.Transport, transport.Bytes), expected: 200);
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}/validate",
            await Api.SendAsync(HttpMethod.Post, "/api/feeds/transport/validate", Keys.Transport, invalid.Bytes), expected: 400);
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}/validate",
            await Api.SendAsync(HttpMethod.Post, "/api/feeds/transport/validate", Keys.Statistics, transport.Bytes), expected: 403);

        // A feed: accepted, then the same bytes again.
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}", await Api.PushAsync("transport", transport.Bytes), expected: 202);
        AssertDocumented(document, HttpMethod.Post, "/api/feeds/{source}", await Api.PushAsync("transport", transport.Bytes), expected: 200);
        AssertDocumented(document, HttpMethod.Get, "/api/feeds/{source}/{feedId}", await Api.FeedStatusAsync(transport.FeedId), expected: 200);
        AssertDocumented(document, HttpMethod.Get, "/api/feeds/{feedId}", await Api.GetAsync($"/api/feeds/{transport.FeedId}", Keys.Ops), expected: 200);
    }

    // The answer's status is one the operation lists, with the media type the document gives it (when it has a body).
    private void AssertDocumented(OpenApiDocument document, HttpMethod method, string path, HubAnswer answer, int expected)
    {
        Assert.True(answer.Status == expected,
            $"{method} {path}: expected {expected}; got {answer}{Environment.NewLine}Hub log:{Environment.NewLine}{hub.Logs.Last(20)}");
        var responses = Responses(document, path, method);
        var status = answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(responses.TryGetValue(status, out var response),
            $"{method} {path} answered {status}, which the document does not list ({string.Join(", ", responses.Keys)}).");
        if (answer.Body.Length > 0)
        {
            Assert.True(response.Content is not null && answer.MediaType is not null && response.Content.ContainsKey(answer.MediaType),
                $"{method} {path} {status}: answered {answer.MediaType}; the document lists {string.Join(", ", response.Content?.Keys ?? [])}.");
        }
    }

    private static IDictionary<string, IOpenApiResponse> Responses(OpenApiDocument document, string path, HttpMethod method) =>
        Operation(document, path, method).Responses ?? throw new InvalidOperationException($"{method} {path} has no responses.");

    private static List<string> Security(OpenApiDocument document, string path, HttpMethod method) =>
        [.. (Operation(document, path, method).Security ?? []).SelectMany(r => r.Keys).Select(k => k.Reference.Id!).Order(StringComparer.Ordinal)];

    private static OpenApiOperation Operation(OpenApiDocument document, string path, HttpMethod method)
    {
        var found = Operations(document).Where(o => o.Path == Normalise(path) && o.Method == method.Method).Select(o => o.Operation).ToList();
        Assert.True(found.Count == 1, $"The document should have one {method} {path}; it has {found.Count}.");
        return found[0];
    }

    // Every operation with its full path (the server URL, /api, before the document's path).
    private static IEnumerable<(string OperationId, string Method, string Path, OpenApiOperation Operation)> Operations(OpenApiDocument document)
    {
        var server = document.Servers?.SingleOrDefault()?.Url?.TrimEnd('/') ?? "";
        foreach (var (path, item) in document.Paths)
        {
            foreach (var method in DocumentableMethods)
            {
                if (item.Operations is { } operations && operations.TryGetValue(method, out var operation))
                {
                    yield return (operation.OperationId ?? "", method.Method, Normalise(server + path), operation);
                }
            }
        }
    }

    private static IEnumerable<string> Methods(string[]? declared) =>
        declared is { Length: > 0 } ? declared.Select(m => m.ToUpperInvariant()) : DocumentableMethods.Select(m => m.Method).Except(["TRACE"]);

    // A path as OpenAPI tells paths apart: by shape, every parameter reduced to {} ({n:int} and {n} alike;
    // /feeds/{source} and /feeds/{feedId} are one path to it).
    private static string Normalise(string template) => RouteParameter().Replace(template, "{}");

    private async Task<OpenApiDocument> ReadDocumentAsync()
    {
        var answer = await Api.GetAsync(DocumentPath);
        Assert.True(answer.Status == 200, $"GET {DocumentPath} should answer 200; got {answer}");
        var (document, diagnostic) = OpenApiDocument.Parse(answer.Body, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(document is not null && diagnostic?.Errors.Count == 0,
            "The document does not parse: " + string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? []));
        return document;
    }

    private async Task<HttpResponseMessage> SendAsync(string path, EntityTagHeaderValue? etag)
    {
        using var http = new HttpClient { BaseAddress = Api.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [GeneratedRegex(@"\{\**([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{[a-z][A-Za-z0-9]*Or[A-Z][A-Za-z0-9]*\}")]
    private static partial Regex JoinedName();
}
