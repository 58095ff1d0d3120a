using System.Reflection;
using System.Text.RegularExpressions;
using IntegrationHub.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.OpenApi;

// A route parameter of a template: its name, and the type its constraint asks for.
internal sealed record RouteParameter(string Name, ApiType Type);

// One HTTP function as the Functions host serves it: name, route template (under /api) and methods.
internal sealed record HttpRoute(string FunctionName, string Template, IReadOnlyList<string> Methods)
{
    // The [Function] method: its attributes say who may call it and what the document says of it.
    public MethodInfo? Method { get; init; }

    // The template as OpenAPI compares paths: / first, every parameter reduced to {}. Two routes of the same shape
    // (feeds/{source}, feeds/{feedId}) are one path in the document, whatever their names.
    public string Shape => "/" + HttpSurface.Placeholder().Replace(Template.TrimStart('/'), "{}");

    public IReadOnlyList<RouteParameter> Parameters =>
    [
        .. HttpSurface.Placeholder().Matches(Template).Select(m => new RouteParameter(
            m.Groups["name"].Value,
            m.Groups["constraint"].Captures.Select(c => c.Value).FirstOrDefault(c => c is "int" or "long" or "bool" or "datetime") switch
            {
                "int" or "long" => ApiType.Integer,
                "bool" => ApiType.Boolean,
                "datetime" => ApiType.DateTime,
                _ => ApiType.String,
            })),
    ];
}

// The operations of the HTTP functions, and what did not pair one function with one operation.
internal sealed record ApiCatalogue(IReadOnlyList<(HttpRoute Route, ApiOperation Operation)> Operations, IReadOnlyList<string> Faults);

// The app's HTTP surface read from its own [Function] and [HttpTrigger] attributes, the ones the Functions build
// generates its metadata from: what the document describes is what the host serves.
internal static partial class HttpSurface
{
    // A trigger without methods answers every one; the same list the local host maps.
    private static readonly string[] AllMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public static IReadOnlyList<HttpRoute> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Discover(assembly.GetExportedTypes());
    }

    public static IReadOnlyList<HttpRoute> Discover(IEnumerable<Type> types)
    {
        var routes = new List<HttpRoute>();
        foreach (var method in Methods(types, BindingFlags.Public))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function || Trigger(method) is not { } trigger)
            {
                continue;
            }

            var methods = trigger.Methods is { Length: > 0 } declared ? declared.Select(m => m.ToUpperInvariant()).ToArray() : AllMethods;
            routes.Add(new HttpRoute(function.Name, trigger.Route ?? function.Name, methods) { Method = method });
        }

        return [.. routes.OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.FunctionName, StringComparer.Ordinal)];
    }

    // Every HTTP function with its one operation: its [ApiOperation] attributes, or else (for routes written before
    // them) its OperationCatalog entry. What does not pair up is listed, for a test to refuse.
    public static ApiCatalogue Catalogue(IEnumerable<Type> types, IReadOnlyDictionary<string, ApiOperation> legacy)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        var list = types.ToList();
        var routes = Discover(list);
        var documented = new List<(HttpRoute, ApiOperation)>();
        var faults = new List<string>();
        foreach (var route in routes)
        {
            var declared = ApiOperation.Of(route.Method!);
            var listed = legacy.GetValueOrDefault(route.FunctionName);
            switch (declared, listed)
            {
                case (null, null):
                    faults.Add($"{route.FunctionName}: an HTTP function without an operation (add [ApiOperation] to it)");
                    break;
                case ({ }, { }):
                    faults.Add($"{route.FunctionName}: two operations, its [ApiOperation] and an OperationCatalog entry (remove the entry)");
                    break;
                default:
                    documented.Add((route, declared ?? listed!));
                    break;
            }
        }

        var functions = routes.Select(r => r.FunctionName).ToHashSet(StringComparer.Ordinal);
        faults.AddRange(legacy.Keys.Where(name => !functions.Contains(name)).Select(name => $"{name}: an OperationCatalog entry of no HTTP function"));
        faults.AddRange(Methods(list,
            BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => ApiStackAttribute.Declared<ApiOperationAttribute>(m).Any() && !routes.Any(r => r.Method == m))
            .Select(m => $"{m.DeclaringType?.Name}.{m.Name}: [ApiOperation] on a method that is no HTTP function"));
        return new ApiCatalogue(documented, faults);
    }

    private static IEnumerable<MethodInfo> Methods(IEnumerable<Type> types, BindingFlags visibility) =>
        types.SelectMany(t => t.GetMethods(visibility | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));

    private static HttpTriggerAttribute? Trigger(MethodInfo method) =>
        method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().FirstOrDefault();

    // {name}, {name:int}, {name:int:min(1)}, {name?}, {*name}, {name=default}.
    [GeneratedRegex(@"\{\**(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<constraint>[a-z]+)[^}:=?]*)*(?:=[^}?]*)?\??\}", RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 1000)]
    internal static partial Regex Placeholder();
}
