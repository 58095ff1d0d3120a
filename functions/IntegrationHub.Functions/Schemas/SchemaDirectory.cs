using System.ComponentModel;
using System.Text.Json;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Http;

namespace IntegrationHub.Functions.Schemas;

/// <summary>One schema in the catalogue: where it is served, and the <c>$id</c> whose path that route is.</summary>
/// <param name="Latest">
/// Whether this is the newest version of its name (a feed without <c>schemaVersion</c> is held to it); true when unversioned.
/// </param>
public sealed record SchemaEntry(
    [property: Description("`feeds`, `events`, `dataset` or `reference`.")] string Kind,
    [property: Description("The feed source, event type or reference-data name; null for the data set.")] string? Name,
    [property: Description("MAJOR.MINOR; null for reference data.")] string? Version,
    string Title,
    [property: Description("The schema's `$id`; its path is `url`.")] string Id,
    [property: Description("Where this hub serves it.")] string Url,
    [property: Description("The newest version of its name: a feed without `schemaVersion` is held to it.")] bool Latest);

/// <summary>The catalogue <c>GET /api/schemas</c> answers: every schema the hub embeds.</summary>
[ApiSchema("SchemaCatalogue")]
public sealed record SchemaList(IReadOnlyList<SchemaEntry> Schemas);

/// <summary>What a schema read answers: the document, or the 404 that names what is not there.</summary>
public abstract record SchemaAnswer
{
    public sealed record Found(byte[] Bytes, string ETag) : SchemaAnswer;

    /// <param name="Parameter">
    /// The first route parameter that names nothing: <c>kind</c>, <c>name</c>, <c>version</c> or <c>item</c>.
    /// </param>
    public sealed record NotFound(string Detail, string Parameter) : SchemaAnswer;
}

/// <summary>
/// The hub's schemas as departments and subscribers fetch them: the catalogue, and each file byte for byte under the
/// path of its <c>$id</c>. Everything here is fixed for the life of the process, so it is built once.
/// </summary>
public sealed class SchemaDirectory
{
    private readonly SchemaCatalog catalog;
    private readonly Lazy<SchemaAnswer.Found> list;

    public SchemaDirectory(SchemaCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        this.catalog = catalog;
        list = new(() =>
        {
            var documents = catalog.Documents.ToList();
            var newest = documents.Where(d => d.Version is not null)
                .GroupBy(d => (d.Kind, d.Name))
                .ToDictionary(g => g.Key, g => g.MaxBy(d => Version.Parse(d.Version!))!.Path);
            var entries = documents
                .Select(d => new SchemaEntry(d.Kind, d.Name, d.Version, d.Title, d.Id, d.Url,
                    d.Version is null || newest[(d.Kind, d.Name)] == d.Path))
                .ToList();
            var json = JsonSerializer.SerializeToUtf8Bytes(new SchemaList(entries), HubSerialization.Options);
            return new SchemaAnswer.Found(json, HttpCaching.ETagOf(json));
        });
    }

    public SchemaAnswer.Found List() => list.Value;

    /// <summary>
    /// The schema at <c>{kind}/{name}/{version}</c>, or at <c>{kind}/{item}</c> for the paths of two segments.
    /// </summary>
    public SchemaAnswer Get(params string[] segments)
    {
        var path = string.Join('/', segments);
        if (catalog.TryGetDocument(path, out var document))
        {
            return new SchemaAnswer.Found(document.Bytes, document.ETag);
        }

        // Name the first segment that leads nowhere, and what is there instead.
        var all = catalog.Documents;
        var kind = segments[0];
        var ofKind = all.Where(d => d.Kind == kind).ToList();
        if (ofKind.Count == 0)
        {
            return new SchemaAnswer.NotFound(
                $"No schema '{path}': there is no kind '{kind}'. Kinds: {string.Join(", ", all.Select(d => d.Kind).Distinct())}; GET /api/schemas "
                    + $"lists every schema.", "kind");
        }

        if (segments.Length == 3 && ofKind.Where(d => d.Name == segments[1]).Select(d => d.Version).ToList() is { Count: > 0 } versions)
        {
            return new SchemaAnswer.NotFound(
                $"No schema '{path}': '{kind}/{segments[1]}' has versions {string.Join(", ", versions)}.", "version");
        }

        var here = ofKind.Select(d => d.Path[(kind.Length + 1)..]);
        return new SchemaAnswer.NotFound($"No schema '{path}'. Under '{kind}': {string.Join(", ", here)}.", segments.Length == 3 ? "name" : "item");
    }
}
