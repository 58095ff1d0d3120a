using System.Collections.Frozen;
using System.Globalization;
using System.Resources;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationHub.Functions.Web;

// One file of the web pages as it is served: its bytes, media type, strong ETag and URL fingerprint.
internal sealed record WebFile(string Name, byte[] Bytes, string ContentType, string ETag, string Fingerprint);

// The files of the ops console, the data-set dashboard and the API reference, embedded in this assembly
// (EmbeddedWebFiles.resx links the files of Assets/). Pages reference their scripts and styles as {{web:NAME}}, which
// becomes web/NAME?v=FINGERPRINT: the pages themselves are revalidated on every load, so the assets behind them can be
// cached for a year and a new build still reaches every browser at once.
internal static partial class WebAssets
{
    public const string ConsolePage = "console.html";
    public const string DashboardPage = "dashboard.html";
    public const string DocsPage = "docs.html";

    private const string Html = "text/html; charset=utf-8";

    // EmbeddedWebFiles.resx, named after no class so the build names the resource by its path.
    private const string ResourcesName = "IntegrationHub.Functions.Web.EmbeddedWebFiles";

    // The allow-list of GET /api/web/{name}: nothing else is reachable by name, the pages included.
    private static readonly FrozenDictionary<string, string> ServedAssets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["web.css"] = "text/css; charset=utf-8",
        ["common.js"] = "text/javascript; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",

        // The API reference: the vendored Swagger UI (Assets/swagger-ui, with its licence) and the script that starts it.
        ["docs.js"] = "text/javascript; charset=utf-8",
        ["swagger-ui-bundle.js"] = "text/javascript; charset=utf-8",
        ["swagger-ui.css"] = "text/css; charset=utf-8",
        ["swagger-ui-license.txt"] = "text/plain; charset=utf-8",

        // Entra ID sign-in of the console: the vendored MSAL.js (Assets/msal-browser, with its licence) and the script using it.
        ["console-sign-in.js"] = "text/javascript; charset=utf-8",
        ["msal-browser.js"] = "text/javascript; charset=utf-8",
        ["msal-browser-license.txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The embedded bytes cannot change while the process runs: read, hash and render them once.
    private static readonly Lazy<FrozenDictionary<string, WebFile>> Files = new(Load);

    public static WebFile Page(string name) => Files.Value[name];

    // A file of the allow-list, or null for any other name.
    public static WebFile? Asset(string name) => ServedAssets.ContainsKey(name) ? Files.Value[name] : null;

    private static FrozenDictionary<string, WebFile> Load()
    {
        var resources = new ResourceManager(ResourcesName, typeof(WebAssets).Assembly);
        var files = new Dictionary<string, WebFile>(StringComparer.Ordinal);
        foreach (var (name, contentType) in ServedAssets)
        {
            files[name] = Describe(name, Read(resources, name), contentType);
        }

        foreach (var page in new[] { ConsolePage, DashboardPage, DocsPage })
        {
            var template = Encoding.UTF8.GetString(Read(resources, page));
            var html = AssetReference().Replace(template, match => files.TryGetValue(match.Groups["name"].Value, out var asset)
                ? $"web/{asset.Name}?v={asset.Fingerprint}"
                : throw new InvalidOperationException($"{page} references '{match.Groups["name"].Value}', which is not on the web asset allow-list."));
            files[page] = Describe(page, Encoding.UTF8.GetBytes(html), Html);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(ResourceManager resources, string name) =>
        resources.GetObject(name, CultureInfo.InvariantCulture) as byte[]
        ?? throw new InvalidOperationException($"The web file '{name}' is not embedded; add it to Web/EmbeddedWebFiles.resx.");

    private static WebFile Describe(string name, byte[] bytes, string contentType)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return new WebFile(name, bytes, contentType, $"\"{hash[..32]}\"", hash[..12]);
    }

    [GeneratedRegex(@"\{\{web:(?<name>[a-z0-9.\-]+)\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AssetReference();
}
