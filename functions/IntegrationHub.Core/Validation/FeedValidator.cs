using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Validation;

/// <summary>
/// Hardened parsing, then the feed's versioned JSON Schema, then the domain rules, all into one report.
/// Never throws for bad input: whatever the bytes, the caller gets a report.
/// </summary>
/// <param name="clock">The time a feed's <c>producedAt</c> may not be later than (rule:produced-not-in-future).</param>
public sealed class FeedValidator(SchemaCatalog schemas, ReferenceData reference, HardenedJsonParser parser, TimeProvider clock)
{
    /// <summary>The most errors a report lists; the rest are counted in <see cref="ValidationReport.ErrorsNotListed"/>.</summary>
    public const int MaxListedErrors = 1000;

    public FeedValidator(SchemaCatalog schemas, ReferenceData reference, HardenedJsonParser parser)
        : this(schemas, reference, parser, TimeProvider.System)
    {
    }

    public SchemaCatalog Schemas { get; } = schemas;

    public ReferenceData Reference { get; } = reference;

    /// <param name="body">The feed's bytes exactly as received.</param>
    /// <param name="expectedSource">The <c>{source}</c> of the push URL, when there is one.</param>
    /// <param name="contentHash">The body's SHA-256 when the caller already computed it (intake does, to land the bytes first).</param>
    public FeedCheck Validate(ReadOnlyMemory<byte> body, string? expectedSource = null, string? contentHash = null)
    {
        contentHash ??= FeedId.ContentHash(body.Span);
        using var parsed = parser.Parse(body);
        if (parsed.Document is null)
        {
            return new FeedCheck(new ValidationReport
            {
                FeedId = Feeds.FeedId.CreateUnreadable(expectedSource, contentHash),
                Source = expectedSource,
                ContentHash = contentHash,
                Errors = parsed.Errors,
            }, null);
        }

        var root = parsed.Document.RootElement;
        var errors = new List<ValidationIssue>();
        var source = StringProperty(root, "source");
        var period = StringProperty(root, "period");
        var requestedVersion = root.TryGetProperty("schemaVersion", out var versionElement) && versionElement.ValueKind == JsonValueKind.String
            ? versionElement.GetString()
            : null;

        if (expectedSource is not null && source is not null && source != expectedSource)
        {
            errors.Add(new ValidationIssue("/source", "rule:source-matches-url", "rule:source-matches-url",
                $"The feed says source '{source}' but was sent to the '{expectedSource}' endpoint."));
        }

        var schemaSource = FeedSource.IsKnown(source) ? source! : FeedSource.IsKnown(expectedSource) ? expectedSource! : null;
        if (schemaSource is null)
        {
            errors.Add(source is null
                ? new ValidationIssue("", null, "required", "Required properties [\"source\"] are not present.")
                : new ValidationIssue("/source", null, "enum", $"Unknown source '{source}'; expected one of: {string.Join(", ", FeedSource.All)}."));
            return Report(errors, [], source, period, null, null, null, contentHash);
        }

        if (!Schemas.TryGetFeedSchema(schemaSource, requestedVersion, out var resolvedVersion, out var schema))
        {
            errors.Add(new ValidationIssue("/schemaVersion", "rule:schema-version-known", "rule:schema-version-known",
                $"No schema version '{requestedVersion}' for source '{schemaSource}'; versions that exist: "
                    + $"{string.Join(", ", Schemas.FeedSchemaVersions(schemaSource))}."));
            return Report(errors, [], source, period, null, requestedVersion, null, contentHash);
        }

        var schemaId = $"feeds/{schemaSource}/{resolvedVersion}";
        errors.AddRange(Schemas.Evaluate(schema!, root));
        var revision = root.TryGetProperty("revision", out var rev) && rev.ValueKind == JsonValueKind.Number && rev.TryGetInt32(out var r) ? r : (int?)null;
        if (errors.Count > 0)
        {
            return Report(errors, [], source, period, revision, resolvedVersion, schemaId, contentHash);
        }

        // The schema passed, so every field below exists with its contract type and range.
        var feedPeriod = Feeds.Period.Parse(period!);
        var rules = new DomainRules(Reference, clock.GetUtcNow());
        rules.Check(schemaSource, feedPeriod, root);
        errors.AddRange(rules.Errors);
        var check = Report(errors, rules.Warnings, source, period, revision, resolvedVersion, schemaId, contentHash);
        if (errors.Count > 0)
        {
            return check;
        }

        if (revision is null || !DateTimeOffset.TryParse(root.GetProperty("producedAt").GetString(), CultureInfo.InvariantCulture, out var producedAt))
        {
            // Only reachable if a schema version loosens these fields; refuse rather than guess.
            errors.Add(new ValidationIssue(revision is null ? "/revision" : "/producedAt", schemaId, "format",
                "The value cannot be read as the contract's type."));
            return Report(errors, rules.Warnings, source, period, revision, resolvedVersion, schemaId, contentHash);
        }

        var feed = new AcceptedFeed(
            check.Report.FeedId!,
            schemaSource,
            feedPeriod,
            revision.Value,
            resolvedVersion,
            producedAt,
            root.GetProperty("producer").GetString()!,
            contentHash,
            root.Clone());
        return check with { Feed = feed };
    }

    private static FeedCheck Report(
        List<ValidationIssue> errors, IReadOnlyList<ValidationIssue> warnings, string? source, string? period, int? revision,
        string? schemaVersion, string? schemaId, string contentHash)
    {
        var feedId = FeedSource.IsKnown(source) && Feeds.Period.TryParse(period, out _) && revision is >= 0
            ? Feeds.FeedId.Create(source!, period!, revision.Value, contentHash)
            : Feeds.FeedId.CreateUnreadable(source, contentHash);
        return new FeedCheck(new ValidationReport
        {
            FeedId = feedId,
            Source = source,
            Period = period,
            Revision = revision,
            SchemaVersion = schemaVersion,
            SchemaId = schemaId,
            ContentHash = contentHash,
            Errors = errors.Count > MaxListedErrors ? errors[..MaxListedErrors] : errors,
            ErrorsNotListed = Math.Max(0, errors.Count - MaxListedErrors),
            Warnings = warnings.Count > MaxListedErrors ? warnings.Take(MaxListedErrors).ToList() : warnings,
        }, null);
    }

    private static string? StringProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
