using System.Reflection;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.OpenApi;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Integration.Tests.OpenApi;

/// <summary>The document's operations, one per HTTP function, found from the functions' own attributes.</summary>
public sealed class HttpSurfaceTests
{
    private static readonly Type[] AppTypes = typeof(HubServiceCollectionExtensions).Assembly.GetExportedTypes();

    [Fact]
    public void Catalogue_OfTheApp_EveryHttpFunctionHasExactlyOneOperationAndEveryOperationOneFunction()
    {
        // The HTTP functions as the Functions build finds them: a [Function] method with an [HttpTrigger] parameter.
        var functions = AppTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(FunctionAttribute)) && m.GetParameters().Any(p => p.IsDefined(typeof(HttpTriggerAttribute))))
            .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal);
        Assert.True(functions.Count > 30, $"Found only {functions.Count} HTTP functions.");

        var catalogue = HttpSurface.Catalogue(AppTypes, OperationCatalog.Operations);
        Assert.True(catalogue.Faults.Count == 0, "Functions and operations that do not pair up: " + string.Join("; ", catalogue.Faults));

        var document = HubOpenApi.Build(catalogue);
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Path: p.Key, o.Key.Method, Id: o.Value.OperationId!))).ToList();
        var missing = functions.Keys.Where(name => operations.Count(o => o.Id == name) != 1).ToList();
        Assert.True(missing.Count == 0, "HTTP functions without exactly one operation: " + string.Join(", ", missing));
        var strays = operations.Where(o => !functions.ContainsKey(o.Id)).Select(o => $"{o.Method} {o.Path} ({o.Id})").ToList();
        Assert.True(strays.Count == 0, "Operations of no HTTP function: " + string.Join(", ", strays));
        Assert.Equal(functions.Count, operations.Count);
    }

    [Fact]
    public void Catalogue_FunctionWithoutOperation_OperationOfNoFunction_AndTwoOperationsOfOne_AreEachRefused()
    {
        var entry = new ApiOperation(ApiTags.Host, ApiAccess.None, "Listed", "An entry of the former catalogue.");
        var legacy = new Dictionary<string, ApiOperation>(StringComparer.Ordinal) { ["Listed"] = entry, ["Both"] = entry, ["Gone"] = entry };

        var catalogue = HttpSurface.Catalogue([typeof(SampleFunctions)], legacy);

        Assert.Equal(["Declared", "Listed"], catalogue.Operations.Select(o => o.Route.FunctionName).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "Both: two operations",
                "Gone: an OperationCatalog entry of no HTTP function",
                "SampleFunctions.NotHttp: [ApiOperation] on a method that is no HTTP function",
                "Undocumented: an HTTP function without an operation",
            ],
            catalogue.Faults.Select(f => f.Split(" (")[0].Split(", ")[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_OperationSecurity_IsTheFunctionsAccessPolicyNotTheEntrysOwnWord()
    {
        // The former catalogue's entry says "no key"; the function's [Access] says the source's own key, and wins.
        var entry = new ApiOperation(ApiTags.Feeds, ApiAccess.None, "Listed", "An entry of the former catalogue.");
        var catalogue = HttpSurface.Catalogue([typeof(SampleFunctions)], new Dictionary<string, ApiOperation> { ["Listed"] = entry });

        var document = HubOpenApi.Build(catalogue);

        Assert.Equal(["opsKey", "opsSignIn"], Schemes(document, "/samples/declared"));
        Assert.Equal(["departmentKey"], Schemes(document, "/samples/{source}/listed"));
    }

    private static List<string> Schemes(Microsoft.OpenApi.OpenApiDocument document, string path) =>
        [.. document.Paths[path].Operations!.Single().Value.Security!.SelectMany(r => r.Keys).Select(k => k.Reference.Id!).Order(StringComparer.Ordinal)];

    private sealed class SampleFunctions
    {
        [Function("Declared")]
        [ApiOperation(ApiTags.Ops, "Declared", "Documented by its attributes.")]
        [ApiAnswer(200, "Done.", Body = typeof(SampleAnswer))]
        [Access(AccessPolicy.Ops)]
        public static void Declared([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "samples/declared")] object request) => _ = request;

        [Function("Listed")]
        [Access(AccessPolicy.OwnSource)]
        public static void Listed([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "samples/{source}/listed")] object request) => _ = request;

        [Function("Both")]
        [ApiOperation(ApiTags.Host, "Both", "Documented twice.")]
        [Access(AccessPolicy.Anonymous)]
        public static void Both([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "samples/both")] object request) => _ = request;

        [Function("Undocumented")]
        [Access(AccessPolicy.Anonymous)]
        public static void Undocumented([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "samples/undocumented")] object request) => _ = request;

        [ApiOperation(ApiTags.Host, "Not HTTP", "An operation on a method no HTTP trigger calls.")]
        public static void NotHttp()
        {
        }
    }

    private sealed record SampleAnswer(string Name);
}
