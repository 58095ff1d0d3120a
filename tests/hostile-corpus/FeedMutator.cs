using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHub.Tests.Hostile;

/// <summary>One mutated feed and the edits that made it (printed when a case fails, with the seed that reproduces it).</summary>
public sealed record Mutant(int Iteration, string Source, byte[] Bytes, string Edits);

/// <summary>
/// A mutation fuzzer over the sample feeds: byte flips, truncation, splices of two feeds, inserted and repeated
/// slices, and edits of the JSON itself (numbers, strings and keys replaced by awkward ones, keys dropped, renamed or
/// doubled). Deterministic for a seed: the same seed gives the same sequence of mutants on every machine.
/// </summary>
public sealed class FeedMutator(int seed)
{
    private static readonly string[] Tokens =
        ["{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "\\ud800", "1e400", "-0", "null", "true", "/*", "\u00a0", "\ufeff"];

    private static readonly JsonNode?[] Numbers =
    [
        0, -1, 1, 0.5, -0.0, 1e308, -1e308, 4.9e-324, 2147483648L, -2147483649L, 9007199254740993L, long.MaxValue, 31, 32, 366, 1e15, 123456789.123456789,
    ];

    private static readonly JsonNode?[] Strings =
    [
        "", " ", "x", "XJNA", "PARK_X", "430104999", "2024-13", "2024-Q5", "2099-01", "1900-01", "2024-02-30T00:00:00+08:00", "2024-06-01T00:00:00Z",
        "transport", "statistics", "9.9", "bus", "raw-coal", "\u0000", "\u202e", "望月湖", "../../etc/passwd", "a-", new string('a', 10_000), "1e400", "NaN",
    ];

    private readonly Random random = new(seed);
    private int iteration;

    public int Seed { get; } = seed;

    /// <summary>The next mutant of one of <paramref name="samples"/> (source to bytes), one to four edits deep.</summary>
    public Mutant Next(IReadOnlyList<(string Source, byte[] Bytes)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var (source, bytes) = samples[random.Next(samples.Count)];
        var edits = new List<string>();
        for (var count = random.Next(1, 5); count > 0; count--)
        {
            (bytes, var edit) = random.Next(10) switch
            {
                0 => FlipBytes(bytes),
                1 => Truncate(bytes),
                2 => Splice(bytes, samples[random.Next(samples.Count)].Bytes),
                3 => InsertToken(bytes),
                4 => RepeatSlice(bytes),
                5 => DeleteSlice(bytes),
                _ => EditJson(bytes),
            };
            edits.Add(edit);
        }

        return new Mutant(iteration++, source, bytes, string.Join("; ", edits));
    }

    private (byte[], string) FlipBytes(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return (bytes, "flip: empty");
        }

        var copy = (byte[])bytes.Clone();
        var at = new List<string>();
        for (var flips = random.Next(1, 9); flips > 0; flips--)
        {
            var i = random.Next(copy.Length);
            copy[i] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)(copy[i] ^ (1 << random.Next(8)));
            at.Add(i.ToString(CultureInfo.InvariantCulture));
        }

        return (copy, $"flip bytes at {string.Join(',', at)}");
    }

    private (byte[], string) Truncate(byte[] bytes)
    {
        var length = random.Next(bytes.Length + 1);
        return (bytes[..length], $"truncate to {length}");
    }

    private (byte[], string) Splice(byte[] first, byte[] second)
    {
        var cut = random.Next(first.Length + 1);
        var from = random.Next(second.Length + 1);
        return ([.. first.AsSpan(0, cut), .. second.AsSpan(from)], $"splice {cut} bytes with another feed from {from}");
    }

    private (byte[], string) InsertToken(byte[] bytes)
    {
        var at = random.Next(bytes.Length + 1);
        var token = Tokens[random.Next(Tokens.Length)];
        return ([.. bytes.AsSpan(0, at), .. Encoding.UTF8.GetBytes(token), .. bytes.AsSpan(at)], $"insert '{token}' at {at}");
    }

    private (byte[], string) RepeatSlice(byte[] bytes)
    {
        var start = random.Next(bytes.Length + 1);
        var length = random.Next(Math.Min(200, bytes.Length - start) + 1);
        var times = random.Next(2, 50);
        var slice = bytes.AsSpan(start, length).ToArray();
        var repeated = Enumerable.Repeat(slice, times).SelectMany(s => s).ToArray();
        return ([.. bytes.AsSpan(0, start), .. repeated, .. bytes.AsSpan(start)], $"repeat {length} bytes at {start} {times} times");
    }

    private (byte[], string) DeleteSlice(byte[] bytes)
    {
        var start = random.Next(bytes.Length + 1);
        var length = random.Next(Math.Min(100, bytes.Length - start) + 1);
        return ([.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + length)], $"delete {length} bytes at {start}");
    }

    /// <summary>An edit of the document, when the bytes still parse; otherwise a byte flip.</summary>
    private (byte[], string) EditJson(byte[] bytes)
    {
        try
        {
            return EditParsedJson(bytes);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            // JsonNode reads names and strings lazily: bad UTF-8 or a duplicate surfaces only on first access.
            return FlipBytes(bytes);
        }
    }

    private (byte[], string) EditParsedJson(byte[] bytes)
    {
        JsonNode? root;
        try
        {
            // A duplicate key would only throw later, on first access: refuse it here, as a parse failure.
            root = JsonNode.Parse(bytes, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return FlipBytes(bytes);
        }

        var containers = Descendants(root, "").Where(d => d.Node is JsonObject { Count: > 0 } or JsonArray { Count: > 0 }).ToList();
        if (containers.Count == 0)
        {
            return FlipBytes(bytes);
        }

        var (node, pointer) = containers[random.Next(containers.Count)];
        string edit;
        if (node is JsonObject obj)
        {
            var key = obj.ElementAt(random.Next(obj.Count)).Key;
            var value = obj[key];
            switch (random.Next(6))
            {
                case 0:
                    obj.Remove(key);
                    edit = $"remove {pointer}/{key}";
                    break;
                case 1:
                    obj.Remove(key);
                    var renamed = random.Next(2) == 0 ? key.ToUpperInvariant() : key + "x";
                    obj[renamed] = value;
                    edit = $"rename {pointer}/{key} to {renamed}";
                    break;
                case 2:
                    obj[key] = Numbers[random.Next(Numbers.Length)]?.DeepClone();
                    edit = $"set {pointer}/{key} to {obj[key]?.ToJsonString() ?? "null"}";
                    break;
                case 3:
                    obj[key] = Strings[random.Next(Strings.Length)]?.DeepClone();
                    edit = $"set {pointer}/{key} to a string of {obj[key]?.ToJsonString().Length} characters";
                    break;
                case 4 when value is JsonValue number && number.TryGetValue<double>(out var d):
                    obj[key] = random.Next(2) == 0 ? -d : d * Math.Pow(10, random.Next(1, 300));
                    edit = $"scale {pointer}/{key} {d} to {obj[key]?.ToJsonString()}";
                    break;
                default:
                    // A second copy of the key, written into the text: a JSON writer never produces one.
                    var text = root!.ToJsonString();
                    var needle = $"\"{key}\":";
                    var at = text.IndexOf(needle, StringComparison.Ordinal);
                    return at < 0
                        ? (Encoding.UTF8.GetBytes(text), $"rewrite (no key {key})")
                        : (Encoding.UTF8.GetBytes(text[..at] + needle + "0," + text[at..]), $"duplicate key {key}");
            }
        }
        else
        {
            var array = (JsonArray)node;
            var index = random.Next(array.Count);
            switch (random.Next(3))
            {
                case 0:
                    array.RemoveAt(index);
                    edit = $"remove {pointer}/{index}";
                    break;
                case 1:
                    array.Add(array[index]?.DeepClone());
                    edit = $"append a copy of {pointer}/{index}";
                    break;
                default:
                    array[index] = random.Next(2) == 0 ? Numbers[random.Next(Numbers.Length)]?.DeepClone() : Strings[random.Next(Strings.Length)]?.DeepClone();
                    edit = $"replace {pointer}/{index}";
                    break;
            }
        }

        return (Encoding.UTF8.GetBytes(root!.ToJsonString()), edit);
    }

    private static IEnumerable<(JsonNode Node, string Pointer)> Descendants(JsonNode? node, string pointer)
    {
        if (node is null)
        {
            yield break;
        }

        yield return (node, pointer);
        var children = node switch
        {
            JsonObject o => o.Select(p => (p.Value, pointer + "/" + p.Key)),
            JsonArray a => a.Select((v, i) => (v, pointer + "/" + i.ToString(CultureInfo.InvariantCulture))),
            _ => [],
        };
        foreach (var (child, childPointer) in children)
        {
            foreach (var descendant in Descendants(child, childPointer))
            {
                yield return descendant;
            }
        }
    }
}
