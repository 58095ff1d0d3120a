using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Validation;
using Json.Schema;

namespace IntegrationHub.Core.Evolution;

/// <summary>Rule names of the gate's own findings (the structural ones are <see cref="SchemaComparer.Rules"/>).</summary>
public static class EvolutionRules
{
    public const string FileName = "version-file-name";
    public const string Unreadable = "schema-unreadable";
    public const string VersionMarker = "version-marker";
    public const string MajorWithoutMapping = "major-without-mapping";
    public const string FeedNoLongerValid = "feed-no-longer-valid";
}

/// <summary>One finding of the gate about one schema version.</summary>
/// <param name="Previous">The version it was compared with; null for a first version or a file problem.</param>
/// <param name="Pointer">JSON Pointer into the schema (<see cref="SchemaDifference.Pointer"/>); for a feed, the schema keyword that refused it.</param>
/// <param name="Refuses">False for a note: the breaking changes a new major version makes, which are allowed.</param>
public sealed record EvolutionFinding(string Source, string Version, string? Previous, string Pointer, string Rule, string Message, bool Refuses)
{
    public string Schema => $"feeds/{Source}/{Version}{FeedSchemaSet.Suffix}";
}

/// <summary>A feed to replay: valid under a version, it must stay valid under the next minor.</summary>
/// <param name="Name">Where it came from (file, stored blob, schema example), for the report.</param>
public sealed record FeedSample(string Name, JsonElement Root);

public enum VersionStep
{
    /// <summary>The source's first version: needs a mapping to the data set.</summary>
    First,

    /// <summary>Same major as the version before: must accept everything that one accepted.</summary>
    Minor,

    /// <summary>A new major: may break, but needs a mapping to the data set.</summary>
    Major,
}

public sealed record VersionCheck(string Source, string Version, string? Previous, VersionStep Step, int FeedsReplayed);

public sealed record EvolutionReport(IReadOnlyList<VersionCheck> Versions, IReadOnlyList<EvolutionFinding> Findings)
{
    public bool Refused => Findings.Any(f => f.Refuses);

    /// <summary>The report as a department integrator reads it: each version with its verdict, then each finding.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var version in Versions)
        {
            var findings = Findings.Where(f => f.Source == version.Source && f.Version == version.Version).ToArray();
            var refused = findings.Any(f => f.Refuses);
            var step = version.Step switch
            {
                VersionStep.First => "first version",
                VersionStep.Minor => $"minor after {version.Previous}, {version.FeedsReplayed} feed(s) replayed",
                _ => $"new major after {version.Previous}",
            };
            text.Append(CultureInfo.InvariantCulture, $"{(refused ? "REFUSED" : "ok     ")}  {version.Source} {version.Version} ({step})\n");
            foreach (var finding in findings)
            {
                AppendFinding(text, finding);
            }
        }

        foreach (var problem in Findings.Where(f => !Versions.Any(v => v.Source == f.Source && v.Version == f.Version)))
        {
            text.Append(CultureInfo.InvariantCulture, $"REFUSED  {problem.Schema}\n");
            AppendFinding(text, problem);
        }

        var refusals = Findings.Count(f => f.Refuses);
        text.Append(CultureInfo.InvariantCulture, $"{Versions.Count} schema version(s) checked: ").Append(refusals == 0
            ? "every minor version is backward compatible and every major is mapped to the data set.\n"
            : string.Create(CultureInfo.InvariantCulture,
                $"{refusals} refusal(s). A breaking change needs a new major version and its mapping to the data set.\n"));
        return text.ToString();
    }

    private static void AppendFinding(StringBuilder text, EvolutionFinding finding) =>
        text.Append(CultureInfo.InvariantCulture,
            $"  {(finding.Refuses ? "refused" : "note   ")}  {finding.Rule} at {(finding.Pointer.Length == 0 ? "(root)" : finding.Pointer)}: "
                + $"{finding.Message}\n");
}

/// <summary>
/// The schema evolution gate (docs/schema-evolution.md). Per source, versions in order: a minor version is compared
/// with the one before it, structurally (<see cref="SchemaComparer"/>) and by replaying feeds valid under the one
/// before; a first version or a new major needs the data set's mapping (<see cref="DatasetFeedMapping"/>).
/// </summary>
public static class SchemaEvolutionCheck
{
    /// <summary>Feeds listed per version before the rest are only counted: one is enough to act on, the count tells how far it goes.</summary>
    public const int MaxFeedFindingsPerVersion = 10;

    /// <param name="feeds">Feeds to replay, of any source; each schema's own <c>examples</c> are replayed as well.</param>
    /// <param name="isMapped">Whether the data set is mapped from a source's major; <see cref="DatasetFeedMapping.Maps(string, int)"/> when null.</param>
    public static EvolutionReport Run(FeedSchemaSet schemas, IEnumerable<FeedSample> feeds, Func<string, int, bool>? isMapped = null)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(feeds);
        isMapped ??= DatasetFeedMapping.Maps;
        var samples = feeds.ToList();
        var versions = new List<VersionCheck>();
        var findings = new List<EvolutionFinding>(schemas.Problems);
        foreach (var source in schemas.Files.GroupBy(f => f.Source, StringComparer.Ordinal))
        {
            FeedSchemaFile? previous = null;
            JsonNode? previousNode = null;
            var sourceSamples = samples.Where(s => SourceOf(s.Root) == source.Key).ToList();
            foreach (var file in source)
            {
                var node = JsonNode.Parse(file.Text)!;
                findings.AddRange(VersionMarker(file, node));
                sourceSamples.AddRange(Examples(file, node));
                var step = previous is null ? VersionStep.First : previous.Number.Major == file.Number.Major ? VersionStep.Minor : VersionStep.Major;
                var replayed = 0;
                if (step != VersionStep.Minor && !isMapped(file.Source, file.Number.Major))
                {
                    findings.Add(new EvolutionFinding(file.Source, file.Version, previous?.Version, "", EvolutionRules.MajorWithoutMapping,
                        $"{file.Source} {file.Version} starts major version {file.Number.Major}, and the data set has no mapping from {file.Source} feeds "
                        + $"{file.Number.Major}.x: the hub could accept such feeds but not turn them into data. The hub's maintainers add the mapping "
                        + "(DatasetFeedMapping and the normaliser) together with the schema.", Refuses: true));
                }

                if (previous is not null)
                {
                    var differences = SchemaComparer.Compare(previousNode!, node, previous.Version, file.Version);
                    findings.AddRange(differences.Select(d => new EvolutionFinding(file.Source, file.Version, previous.Version, d.Pointer, d.Rule,
                        step == VersionStep.Minor ? d.Message : $"{d.Message} (allowed: {file.Version} is a new major version)",
                            Refuses: step == VersionStep.Minor)));
                    if (step == VersionStep.Minor)
                    {
                        replayed = Replay(previous, file, sourceSamples, findings);
                    }
                }

                versions.Add(new VersionCheck(file.Source, file.Version, previous?.Version, step, replayed));
                previous = file;
                previousNode = node;
            }
        }

        return new EvolutionReport(versions, findings);
    }

    // The root's schemaVersion const, when there is one, names the file's own version.
    private static IEnumerable<EvolutionFinding> VersionMarker(FeedSchemaFile file, JsonNode schema)
    {
        if (schema["properties"]?["schemaVersion"]?["const"] is { } marker
            && (marker.GetValueKind() != JsonValueKind.String || marker.GetValue<string>() != file.Version))
        {
            yield return new EvolutionFinding(file.Source, file.Version, null, "/properties/schemaVersion/const", EvolutionRules.VersionMarker,
                $"schemaVersion is fixed to {marker.ToJsonString()} in the file for version {file.Version}: feeds declaring {file.Version} would be refused.",
                    Refuses: true);
        }
    }

    private static IEnumerable<FeedSample> Examples(FeedSchemaFile file, JsonNode schema) =>
        schema["examples"] is JsonArray examples
            ? examples.Select((e, i) =>
                new FeedSample(string.Create(CultureInfo.InvariantCulture, $"{file.Path}#/examples/{i}"), JsonSerializer.SerializeToElement(e)))
            : [];

    // Every sample valid under previous (declaring it) must be valid under next (declaring that). How many samples were
    // valid under the previous version, and so replayed.
    private static int Replay(FeedSchemaFile previous, FeedSchemaFile next, IReadOnlyList<FeedSample> samples, List<EvolutionFinding> findings)
    {
        JsonSchema before, after;
        try
        {
            before = Compile(previous);
            after = Compile(next);
        }
        catch (Exception ex) when (ex is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException)
        {
            findings.Add(new EvolutionFinding(next.Source, next.Version, previous.Version, "", EvolutionRules.Unreadable,
                $"{previous.Path} or {next.Path} cannot be compiled as a JSON Schema, so no feed could be checked against it: {ex.Message}", Refuses: true));
            return 0;
        }

        var replayed = 0;
        var refused = 0;
        foreach (var sample in samples)
        {
            if (Errors(before, Redeclared(sample.Root, previous.Version)).Count > 0)
            {
                continue;
            }

            replayed++;
            var errors = Errors(after, Redeclared(sample.Root, next.Version));
            if (errors.Count == 0)
            {
                continue;
            }

            if (++refused <= MaxFeedFindingsPerVersion)
            {
                var first = errors[0];
                findings.Add(new EvolutionFinding(next.Source, next.Version, previous.Version, SchemaPointer(first), EvolutionRules.FeedNoLongerValid,
                    $"{sample.Name} is valid under {previous.Version} but not under {next.Version}: at "
                        + $"{(first.InstanceLocation.Length == 0 ? "(root)" : first.InstanceLocation)} "
                    + $"{first.Keyword}: "
                    + $"{first.Message}{(errors.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {errors.Count - 1} more)") : "")}",
                    Refuses: true));
            }
        }

        if (refused > MaxFeedFindingsPerVersion)
        {
            findings.Add(new EvolutionFinding(next.Source, next.Version, previous.Version, "", EvolutionRules.FeedNoLongerValid,
                string.Create(CultureInfo.InvariantCulture,
                    $"{refused - MaxFeedFindingsPerVersion} more feed(s) valid under {previous.Version} are refused by {next.Version}."),
                Refuses: true));
        }

        return replayed;
    }

    private static JsonSchema Compile(FeedSchemaFile file) =>
        JsonSchema.FromText(file.Text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static IReadOnlyList<ValidationIssue> Errors(JsonSchema schema, JsonElement feed)
    {
        try
        {
            return SchemaCatalog.EvaluateWhole(schema, feed);
        }
        catch (RegexMatchTimeoutException ex)
        {
            return [new ValidationIssue("", null, "pattern", $"a pattern check ran past its timeout ({ex.Pattern})")];
        }
    }

    // The feed as if it declared version: a feed without schemaVersion stays without.
    private static JsonElement Redeclared(JsonElement feed, string version)
    {
        if (feed.ValueKind != JsonValueKind.Object || !feed.TryGetProperty("schemaVersion", out _))
        {
            return feed;
        }

        var copy = JsonNode.Parse(feed.GetRawText())!.AsObject();
        copy["schemaVersion"] = version;
        return JsonSerializer.SerializeToElement(copy);
    }

    private static string? SourceOf(JsonElement feed) =>
        feed.ValueKind == JsonValueKind.Object && feed.TryGetProperty("source", out var source)
            && source.ValueKind == JsonValueKind.String ? source.GetString() : null;

    // The keyword that refused, as a JSON Pointer into the schema: the error's subschema location
    // (https://…/1.1#/$defs/record) and its keyword (required).
    private static string SchemaPointer(ValidationIssue error)
    {
        var hash = error.SchemaLocation?.IndexOf('#', StringComparison.Ordinal) ?? -1;
        var subschema = hash < 0 ? "" : Uri.UnescapeDataString(error.SchemaLocation![(hash + 1)..]);
        return error.Keyword.Length == 0 || subschema.EndsWith("/" + error.Keyword, StringComparison.Ordinal) ? subschema : $"{subschema}/{error.Keyword}";
    }
}
