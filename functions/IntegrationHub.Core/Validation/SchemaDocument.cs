using System.Security.Cryptography;
using System.Text.Json;

namespace IntegrationHub.Core.Validation;

/// <summary>
/// One schema file as the hub publishes it: its path under <c>schemas/</c> (without <c>.schema.json</c>), split into
/// kind, name and version where the path has them, its <c>$id</c>, title and exact bytes.
/// </summary>
/// <param name="Name">The source or event type, or the reference file; null for <c>dataset/2.0</c>.</param>
/// <param name="Version">MAJOR.MINOR; null for the reference schemas, which have no version of their own.</param>
public sealed record SchemaDocument(string Path, string Kind, string? Name, string? Version, string Id, string Title, byte[] Bytes)
{
    /// <summary>A strong entity tag of the exact bytes.</summary>
    public string ETag { get; } = $"\"{Convert.ToHexStringLower(SHA256.HashData(Bytes))}\"";

    /// <summary>The route that serves it on this hub.</summary>
    public string Url => SchemaCatalog.RoutePrefix + Path;

    /// <summary>
    /// Reads a schema file; its <c>$id</c> must be <paramref name="expectedId"/>, or the route would not serve its <c>$id</c>.
    /// </summary>
    public static SchemaDocument Of(string path, byte[] bytes, string expectedId)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var id = root.TryGetProperty("$id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (id != expectedId)
        {
            throw new InvalidOperationException($"schemas/{path}.schema.json: its $id is '{id}', not '{expectedId}', the name of the route that serves it.");
        }

        var title = root.TryGetProperty("title", out var titleElement) && titleElement.ValueKind == JsonValueKind.String ? titleElement.GetString()! : path;
        var (kind, name, version) = path.Split('/') switch
        {
            [var k, var n, var v] => (k, n, v),
            [var k, var last] when SchemaCatalog.IsFeedSchemaVersion(last) => (k, (string?)null, (string?)last),
            [var k, var last] => (k, last, null),
            _ => throw new InvalidOperationException($"schemas/{path}.schema.json: a schema lives at {{kind}}/{{name}}/{{version}}, "
                + $"{{kind}}/{{version}} or {{kind}}/{{name}}."),
        };
        return new SchemaDocument(path, kind, name, version, id, title, bytes);
    }
}
