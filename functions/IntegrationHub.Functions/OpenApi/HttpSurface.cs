using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.OpenApi;

/// <summary>A route parameter of a template: its name, and the type its constraint asks for.</summary>
internal sealed record RouteParameter(string Name, ApiType Type);

/// <summary>One HTTP function as the Functions host serves it: name, route template (under <c>/api</c>) and methods.</summary>
internal sealed record HttpRoute(string FunctionName, string Template, IReadOnlyList<string> Methods)
{
    /// <summary>
    /// The template as OpenAPI compares paths: <c>/</c> first, every parameter reduced to <c>{}</c>. Two routes of the
    /// same shape (<c>feeds/{source}</c>, <c>feeds/{feedId}</c>) are one path in the document, whatever their names.
    /// </summary>
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

/// <summary>
/// The app's HTTP surface read from its own <c>[Function]</c> and <c>[HttpTrigger]</c> attributes, the ones the
/// Functions build generates its metadata from: what the document describes is what the host serves.
/// </summary>
internal static partial class HttpSurface
{
    // A trigger without methods answers every one; the same list the local host maps.
    private static readonly string[] AllMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public static IReadOnlyList<HttpRoute> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var routes = new List<HttpRoute>();
        foreach (var method in assembly.GetExportedTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }

            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().FirstOrDefault();
            if (trigger is null)
            {
                continue;
            }

            var methods = trigger.Methods is { Length: > 0 } declared ? declared.Select(m => m.ToUpperInvariant()).ToArray() : AllMethods;
            routes.Add(new HttpRoute(function.Name, trigger.Route ?? function.Name, methods));
        }

        return [.. routes.OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.FunctionName, StringComparer.Ordinal)];
    }

    // {name}, {name:int}, {name:int:min(1)}, {name?}, {*name}, {name=default}.
    [GeneratedRegex(@"\{\**(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<constraint>[a-z]+)[^}:=?]*)*(?:=[^}?]*)?\??\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    internal static partial Regex Placeholder();
}
