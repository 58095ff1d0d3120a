using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Benchmarking;

/// <summary>
/// Feeds of any size shaped like the real ones: the records of one sample feed per source (24 streets and towns, and
/// the parks for statistics and power-grid), repeated under synthetic street codes until the feed has the number of
/// records asked for. The contract allows up to 5,000 records, one per area; the New Area has 32 areas, so larger
/// feeds need more areas, which <see cref="ReferenceWithSyntheticStreets"/> adds to the reference data.
/// </summary>
public static class FeedGenerator
{
    /// <summary>The contract's largest feed (<c>records.maxItems</c> of every feed schema).</summary>
    public const int MaxRecords = 5000;

    private static readonly Dictionary<string, JsonObject> Templates = FeedSource.All.ToDictionary(s => s, LoadTemplate, StringComparer.Ordinal);

    /// <summary>
    /// The area code of the <paramref name="index"/>-th generated record: 9 digits like a real street code, in a block
    /// (4301 9xxxx) that no real division of the New Area uses.
    /// </summary>
    public static string SyntheticStreetCode(int index) => "43019" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>
    /// A feed of <paramref name="records"/> records, written compactly as a department's system would send it.
    /// An invalid feed has exactly one mistake, in its last record, so every validator has to read the whole feed:
    /// the record's first number is sent as a string (the sample case <c>number-as-string</c>).
    /// </summary>
    public static byte[] Generate(string source, int records, bool valid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(records, MaxRecords);
        var template = Templates.TryGetValue(source, out var t) ? t : throw new ArgumentException($"Unknown source '{source}'.", nameof(source));
        var templateRecords = template["records"]!.AsArray();
        var feed = (JsonObject)template.DeepClone();
        var generated = new JsonArray();
        for (var i = 0; i < records; i++)
        {
            var record = (JsonObject)templateRecords[i % templateRecords.Count]!.DeepClone();
            record["areaCode"] = SyntheticStreetCode(i);
            generated.Add(record);
        }

        if (!valid)
        {
            var last = (JsonObject)generated[^1]!;
            var (name, value) = last.First(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number);
            last[name] = value!.ToJsonString();
        }

        feed["records"] = generated;
        return JsonSerializer.SerializeToUtf8Bytes(feed);
    }

    /// <summary>
    /// The hub's reference data plus <paramref name="count"/> synthetic streets of 岳麓区 with the codes
    /// <see cref="SyntheticStreetCode"/> gives, so a generated feed of up to that many records names only known areas.
    /// Nothing else changes: coefficients, targets and the real areas are the hub's own.
    /// </summary>
    public static ReferenceData ReferenceWithSyntheticStreets(ReferenceData reference, int count = MaxRecords)
    {
        var parent = reference.ChildrenOf(reference.Root.Code).First(a => !a.Overlay).Code;
        var streets = Enumerable.Range(0, count).Select(i => new Area(
            SyntheticStreetCode(i), "合成街道" + i.ToString(CultureInfo.InvariantCulture), "Synthetic street " + i.ToString(CultureInfo.InvariantCulture),
            "street", parent, false, "benchmark: generated", "internal"));
        var areas = new AreasFile(reference.Areas.Version, [.. reference.Areas.Areas, .. streets]);
        return new ReferenceData(areas, reference.Coefficients, reference.Targets, reference.Subscribers, reference.Supply);
    }

    private static JsonObject LoadTemplate(string source)
    {
        using var stream = typeof(FeedGenerator).Assembly.GetManifestResourceStream($"templates/{source}.json")
            ?? throw new InvalidOperationException($"The template feed of {source} is missing from {typeof(FeedGenerator).Assembly.GetName().Name}.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
