using System.Diagnostics;
using System.Text.Json.Serialization;
using IntegrationHub.Core;

namespace IntegrationHub.Benchmarking;

/// <summary>
/// A quick side-by-side run (what <c>hub-bench</c> prints): for each feed size, a valid and an invalid feed, each
/// checked in turn by the three validators for an equal share of the time budget. Each validator's speed is the
/// median of its timed checks, so one slow check (a collection, the machine busy elsewhere) does not move it.
/// The full, careful measurement is the BenchmarkDotNet suite; this one answers "how do they compare here, now".
/// </summary>
public sealed class SideBySide(IReadOnlyList<IFeedValidation> validators)
{
    /// <summary>The hub first (the ratios are its throughput over each of the others'), then the ceiling and the peer.</summary>
    public static SideBySide Standard(HubCore core) => new([new HubValidation(core), new JsonDocumentParse(), new NJsonSchemaValidation()]);

    /// <param name="onCase">Told as each feed's measurement starts: its number (1-based), the count, and what it is.</param>
    public BenchReport Run(string source, IReadOnlyList<int> sizes, TimeSpan budget, Action<int, int, string>? onCase = null)
    {
        var cases = sizes.SelectMany(n => new[] { (Records: n, Valid: true), (Records: n, Valid: false) }).ToArray();
        var slice = budget / (cases.Length * validators.Count);
        var results = new List<SizeResult>();
        foreach (var (index, (records, valid)) in cases.Index())
        {
            onCase?.Invoke(index + 1, cases.Length, $"{source} {records} records, {(valid ? "valid" : "invalid")}");
            var body = FeedGenerator.Generate(source, records, valid);
            var measured = validators.ToDictionary(v => v.Name, v => Measure(v, source, body, records, slice), StringComparer.Ordinal);
            results.Add(new SizeResult(records, valid, body.Length, measured, Ratios(measured)));
        }

        return new BenchReport(
            new MachineInfo(Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, System.Runtime.GCSettings.IsServerGC),
            source, budget.TotalSeconds, results);
    }

    private static ValidatorResult Measure(IFeedValidation validator, string source, byte[] body, int records, TimeSpan slice)
    {
        // The first checks run on code the JIT has not optimised yet and on cold caches: a quarter of the share goes
        // to untimed warm-up (the first check also gives the verdict).
        var verdict = validator.Check(source, body);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < slice / 4)
        {
            validator.Check(source, body);
        }

        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        do
        {
            var start = Stopwatch.GetTimestamp();
            validator.Check(source, body);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        while (clock.Elapsed < slice * 3 / 4);

        times.Sort();
        var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2;
        return new ValidatorResult(verdict, times.Count, median, records / (median / 1000));
    }

    private Dictionary<string, double> Ratios(Dictionary<string, ValidatorResult> measured)
    {
        var hub = measured[validators[0].Name].RecordsPerSecond;
        return validators.Skip(1).ToDictionary(v => v.RatioName, v => hub / measured[v.Name].RecordsPerSecond, StringComparer.Ordinal);
    }
}

public sealed record MachineInfo(
    [property: JsonPropertyName("processorCount")] int ProcessorCount,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("serverGc")] bool ServerGc);

/// <param name="Verdict">What the validator said about the feed (the untimed first check).</param>
/// <param name="Checks">How many timed checks the median is taken over.</param>
public sealed record ValidatorResult(
    [property: JsonPropertyName("verdict"), JsonConverter(typeof(JsonStringEnumConverter<Verdict>))] Verdict Verdict,
    [property: JsonPropertyName("checks")] int Checks,
    [property: JsonPropertyName("medianMs")] double MedianMs,
    [property: JsonPropertyName("recordsPerSecond")] double RecordsPerSecond);

/// <param name="Ratios">The hub's records/s divided by each other validator's: above 1 the hub is faster.</param>
public sealed record SizeResult(
    [property: JsonPropertyName("records")] int Records,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("bytes")] int Bytes,
    [property: JsonPropertyName("validators")] IReadOnlyDictionary<string, ValidatorResult> Validators,
    [property: JsonPropertyName("ratios")] IReadOnlyDictionary<string, double> Ratios);

public sealed record BenchReport(
    [property: JsonPropertyName("machine")] MachineInfo Machine,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("budgetSeconds")] double BudgetSeconds,
    [property: JsonPropertyName("feeds")] IReadOnlyList<SizeResult> Feeds);
