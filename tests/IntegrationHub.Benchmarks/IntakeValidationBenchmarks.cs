using BenchmarkDotNet.Attributes;
using IntegrationHub.Benchmarking;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Benchmarks;

/// <summary>A generated feed: its family, its number of records, and whether it has its one mistake (in the last record).</summary>
public sealed record FeedCase(string Source, int Records, bool Valid)
{
    public override string ToString() => $"{Source} {Records} {(Valid ? "valid" : "invalid")}";
}

/// <summary>
/// Intake validation of one feed: the hub's validator (hardened parse, schema, domain rules, report) beside
/// JsonDocument.Parse of the same bytes (the ceiling: the baseline of the Ratio column) and NJsonSchema 11 with the
/// same schema (the peer). Statistics feeds (9-17 energy items per record, the largest family) at every size; the
/// other families at the contract's largest size.
/// </summary>
[Config(typeof(ShortJobConfig))]
public class IntakeValidationBenchmarks
{
    private byte[] body = [];
    private HubValidation hub = null!;
    private JsonDocumentParse parse = null!;
    private NJsonSchemaValidation peer = null!;

    [ParamsSource(nameof(Cases))]
    public FeedCase Case { get; set; } = null!;

    public static IEnumerable<FeedCase> Cases()
    {
        foreach (var records in (int[])[1, 50, 500, 5000])
        {
            yield return new FeedCase(FeedSource.Statistics, records, true);
            yield return new FeedCase(FeedSource.Statistics, records, false);
        }

        foreach (var source in FeedSource.All.Where(s => s != FeedSource.Statistics))
        {
            yield return new FeedCase(source, FeedGenerator.MaxRecords, true);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        hub = new HubValidation(BenchCore.Core);
        parse = new JsonDocumentParse();
        peer = new NJsonSchemaValidation();
        body = FeedGenerator.Generate(Case.Source, Case.Records, Case.Valid);

        // A benchmark of the wrong answer measures nothing: both validators must reach the intended verdict.
        var expected = Case.Valid ? Verdict.Valid : Verdict.Invalid;
        if (hub.Check(Case.Source, body) != expected || peer.Check(Case.Source, body) != expected)
        {
            throw new InvalidOperationException($"{Case}: the validators do not agree that the feed is {expected}.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse")]
    public Verdict JsonDocumentParse() => parse.Check(Case.Source, body);

    [Benchmark(Description = "hub")]
    public Verdict Hub() => hub.Check(Case.Source, body);

    [Benchmark(Description = "NJsonSchema")]
    public Verdict NJsonSchema() => peer.Check(Case.Source, body);
}

/// <summary>The hub's validator under the workstation GC (the default) and the server GC, on the larger feeds.</summary>
[Config(typeof(GcModesConfig))]
public class ServerGcBenchmarks
{
    private byte[] body = [];
    private HubValidation hub = null!;

    [ParamsSource(nameof(Cases))]
    public FeedCase Case { get; set; } = null!;

    public static IEnumerable<FeedCase> Cases() =>
    [
        new(FeedSource.Statistics, 500, true),
        new(FeedSource.Statistics, FeedGenerator.MaxRecords, true),
        new(FeedSource.Statistics, FeedGenerator.MaxRecords, false),
    ];

    [GlobalSetup]
    public void Setup()
    {
        hub = new HubValidation(BenchCore.Core);
        body = FeedGenerator.Generate(Case.Source, Case.Records, Case.Valid);
    }

    [Benchmark(Description = "hub")]
    public Verdict Hub() => hub.Check(Case.Source, body);
}
