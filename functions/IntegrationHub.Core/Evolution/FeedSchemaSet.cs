using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Evolution;

/// <summary>One feed schema file, <c>feeds/{source}/{version}.schema.json</c>, as text.</summary>
public sealed record FeedSchemaFile(string Source, string Version, string Text)
{
    public string Path => $"feeds/{Source}/{Version}{FeedSchemaSet.Suffix}";

    /// <summary>MAJOR.MINOR as numbers; the set only holds files whose name is a version.</summary>
    public Version Number => System.Version.Parse(Version);
}

/// <summary>
/// The feed schemas the evolution gate judges: the ones compiled into the hub, or a folder of them (a department's
/// draft, the repository's <c>schemas/</c>). Files that cannot take part are reported, never skipped silently.
/// </summary>
public sealed class FeedSchemaSet
{
    public const string Suffix = ".schema.json";

    private FeedSchemaSet(IReadOnlyList<FeedSchemaFile> files, IReadOnlyList<EvolutionFinding> problems)
    {
        Files = files;
        Problems = problems;
    }

    /// <summary>Every usable file, by source, then version in numeric order.</summary>
    public IReadOnlyList<FeedSchemaFile> Files { get; }

    /// <summary>Files that are not a usable feed schema (bad name, not JSON); each one refuses the set.</summary>
    public IReadOnlyList<EvolutionFinding> Problems { get; }

    /// <summary>The schemas compiled into the hub (what every host validates feeds with).</summary>
    public static FeedSchemaSet Embedded()
    {
        const string prefix = "schemas/feeds/";
        return FromFiles(EmbeddedFiles.Names(prefix).Where(n => n.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(n => (n[prefix.Length..], Encoding.UTF8.GetString(EmbeddedFiles.Read(n)))));
    }

    /// <summary>
    /// The schemas under a folder: either a <c>schemas/</c> folder (with <c>feeds/</c> inside) or the <c>feeds/</c>
    /// folder itself, holding <c>{source}/{version}.schema.json</c>.
    /// </summary>
    public static FeedSchemaSet FromDirectory(string directory)
    {
        var feeds = Directory.Exists(System.IO.Path.Combine(directory, "feeds")) ? System.IO.Path.Combine(directory, "feeds") : directory;
        return FromFiles(Directory.EnumerateFiles(feeds, "*" + Suffix, SearchOption.AllDirectories)
            .Select(f => (System.IO.Path.GetRelativePath(feeds, f).Replace('\\', '/'), File.ReadAllText(f))));
    }

    /// <param name="files">Each file's path relative to the feeds folder (<c>{source}/{version}.schema.json</c>) and its text.</param>
    public static FeedSchemaSet FromFiles(IEnumerable<(string RelativePath, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var usable = new List<FeedSchemaFile>();
        var problems = new List<EvolutionFinding>();
        foreach (var (relativePath, text) in files)
        {
            var parts = relativePath[..^Suffix.Length].Split('/');
            if (parts is not [var source, var version] || !SchemaCatalog.IsFeedSchemaVersion(version))
            {
                problems.Add(new EvolutionFinding(parts[0], parts[^1], null, "", EvolutionRules.FileName,
                    $"feeds/{relativePath}: a feed schema lives at feeds/{{source}}/{{MAJOR.MINOR}}.schema.json (e.g. "
                        + $"feeds/transport/1.2.schema.json); the hub would not start with this file.",
                    Refuses: true));
                continue;
            }

            try
            {
                if (JsonNode.Parse(text) is not JsonObject)
                {
                    throw new JsonException("the document is not a JSON object");
                }
            }
            catch (JsonException ex)
            {
                problems.Add(new EvolutionFinding(source, version, null, "", EvolutionRules.Unreadable,
                    $"feeds/{relativePath} is not a JSON Schema object: {ex.Message}", Refuses: true));
                continue;
            }

            usable.Add(new FeedSchemaFile(source, version, text));
        }

        return new FeedSchemaSet(
            [.. usable.OrderBy(f => f.Source, StringComparer.Ordinal).ThenBy(f => f.Number)],
            problems);
    }
}
