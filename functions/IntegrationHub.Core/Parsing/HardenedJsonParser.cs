using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Parsing;

/// <summary>The outcome of reading untrusted bytes: a document, or the reasons it cannot be one.</summary>
public sealed class ParsedFeed : IDisposable
{
    internal ParsedFeed(JsonDocument? document, IReadOnlyList<ValidationIssue> errors)
    {
        Document = document;
        Errors = errors;
    }

    public JsonDocument? Document { get; }

    public IReadOnlyList<ValidationIssue> Errors { get; }

    public void Dispose() => Document?.Dispose();
}

/// <summary>
/// Reads a feed's bytes defensively, before any schema sees them. System.Text.Json alone would accept a duplicate key
/// (last wins), turn 1e400 into infinity and only notice bad UTF-8 when a string is read, so each is checked here
/// and reported with its own keyword.
/// </summary>
public sealed class HardenedJsonParser(IntakeLimits limits)
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public IntakeLimits Limits { get; } = limits;

    public ParsedFeed Parse(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.Length > Limits.MaxFeedBytes)
        {
            return Fail("", "parse:too-large", string.Create(CultureInfo.InvariantCulture,
                $"The feed is {span.Length} bytes; the limit is {Limits.MaxFeedBytes} bytes. Split it by area or period."));
        }

        if (span.Length == 0)
        {
            return Fail("", "parse:invalid-json", "The body is empty; a feed is a JSON object.");
        }

        if (span.StartsWith(Utf8Bom))
        {
            return Fail("", "parse:byte-order-mark", "The body starts with a UTF-8 byte order mark; send plain UTF-8 JSON without a BOM (RFC 8259 §8.1).");
        }

        if (!Utf8.IsValid(span))
        {
            var offset = FirstInvalidUtf8Offset(span);
            return Fail("", "parse:invalid-utf8", string.Create(CultureInfo.InvariantCulture,
                $"The body is not valid UTF-8 (first bad byte at offset {offset}). Feeds must be UTF-8 encoded."));
        }

        var scan = Scan(span);
        if (scan is not null)
        {
            return new ParsedFeed(null, [scan]);
        }

        var document = JsonDocument.Parse(body,
            new JsonDocumentOptions { MaxDepth = Limits.MaxDepth + 1, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind.ToString().ToLowerInvariant();
            document.Dispose();
            return Fail("", "parse:not-an-object", $"The body is a JSON {kind}; a feed is a JSON object.");
        }

        return new ParsedFeed(document, []);
    }

    private static ParsedFeed Fail(string pointer, string keyword, string message) =>
        new(null, [new ValidationIssue(pointer, null, keyword, message)]);

    // One forward pass over the tokens. It keeps where it is (the key or index of every open container) but writes a
    // JSON Pointer only for the token at fault: building one for every value cost more than the parse itself.
    private ValidationIssue? Scan(ReadOnlySpan<byte> span)
    {
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = Limits.MaxDepth + 8, CommentHandling = JsonCommentHandling.Disallow });
        var path = new ScanPath();
        long values = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray) && ++values > Limits.MaxValues)
                {
                    return new ValidationIssue(path.ValuePointer(), null, "parse:too-many-values", string.Create(CultureInfo.InvariantCulture,
                        $"More than {Limits.MaxValues} JSON values; a feed of this size holds far fewer. Split it by area or period."));
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (path.Depth >= Limits.MaxDepth)
                        {
                            return new ValidationIssue(path.ValuePointer(), null, "parse:too-deep", string.Create(CultureInfo.InvariantCulture,
                                $"Nesting deeper than {Limits.MaxDepth} levels; feeds of this contract are at most a few levels deep."));
                        }

                        path.Open(reader.TokenType == JsonTokenType.StartArray);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.Close();
                        break;
                    case JsonTokenType.PropertyName:
                        if (!TryName(path, ref reader, out var name))
                        {
                            return LoneSurrogate(path.NamePointer(Encoding.UTF8.GetString(reader.ValueSpan)), "property name");
                        }

                        if (!path.AddName(name))
                        {
                            return new ValidationIssue(path.ValuePointer(), null, "parse:duplicate-property",
                                $"Property '{name}' appears twice in the same object; a feed must be unambiguous.");
                        }

                        break;
                    case JsonTokenType.Number:
                        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
                        {
                            return new ValidationIssue(path.ValuePointer(), null, "parse:number-out-of-range",
                                $"The number {Encoding.UTF8.GetString(reader.ValueSpan)} is outside the range of a double-precision value.");
                        }

                        path.ValueRead();
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped && !CanUnescape(ref reader))
                        {
                            return LoneSurrogate(path.ValuePointer(), "string");
                        }

                        path.ValueRead();
                        break;
                    default:
                        path.ValueRead();
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return new ValidationIssue("", null, "parse:invalid-json", string.Create(CultureInfo.InvariantCulture,
                $"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}"));
        }

        return null;
    }

    // An escaped lone surrogate ("\uDFAA") is valid JSON syntax but no text: every later reader of the string (the
    // schema's patterns, the normaliser) would throw on it. Unescaping is tried only for escaped strings.
    private static bool CanUnescape(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryName(ScanPath path, ref Utf8JsonReader reader, out string name)
    {
        try
        {
            name = path.Name(ref reader);
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static ValidationIssue LoneSurrogate(string pointer, string what) => new(pointer, null, "parse:invalid-json",
        $"The {what} holds an escaped lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair): it is no text. Send the character itself, in UTF-8.");

    public static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static int FirstInvalidUtf8Offset(ReadOnlySpan<byte> span)
    {
        Span<char> buffer = stackalloc char[1024];
        var offset = 0;
        while (offset < span.Length)
        {
            var status = Utf8.ToUtf16(span[offset..], buffer, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            offset += read;
            if (status != System.Buffers.OperationStatus.DestinationTooSmall)
            {
                break;
            }
        }

        return offset;
    }

    // Where the scan is: one frame per open container, with the key or index it sits under in its parent. Property
    // names are shared through a per-document table (a feed repeats the same few dozen names thousands of times) and
    // the sets that detect duplicates are reused once their object closes.
    private sealed class ScanPath
    {
        private readonly List<Frame> frames = [];
        private readonly Stack<HashSet<string>> spareNameSets = new();
        private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> namesByChars;
        private string? pendingName;

        public ScanPath() => namesByChars = names.GetAlternateLookup<ReadOnlySpan<char>>();

        public int Depth => frames.Count;

        public void Open(bool isArray)
        {
            var (key, index) = TakeKey();
            frames.Add(new Frame(key, index, isArray ? null : spareNameSets.TryPop(out var set) ? set : new HashSet<string>(StringComparer.Ordinal)));
        }

        public void Close()
        {
            var frame = frames[^1];
            frames.RemoveAt(frames.Count - 1);
            if (frame.Names is { } set)
            {
                set.Clear();
                spareNameSets.Push(set);
            }
        }

        public string Name(ref Utf8JsonReader reader)
        {
            var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (length > 256)
            {
                return reader.GetString()!;
            }

            // A name's UTF-16 form is never longer than its UTF-8 (escaped or not).
            Span<char> buffer = stackalloc char[256];
            var chars = buffer[..reader.CopyString(buffer)];
            if (namesByChars.TryGetValue(chars, out var known))
            {
                return known;
            }

            var name = chars.ToString();
            names[name] = name;
            return name;
        }

        public bool AddName(string name)
        {
            pendingName = name;
            return frames[^1].Names!.Add(name);
        }

        // The pointer of a property of the innermost open object, by its raw name.
        public string NamePointer(string rawName)
        {
            var pointer = new StringBuilder();
            for (var i = 1; i < frames.Count; i++)
            {
                pointer.Append('/').Append(frames[i].Key is { } key ? Escape(key) : frames[i].Index.ToString(CultureInfo.InvariantCulture));
            }

            return pointer.Append('/').Append(Escape(rawName)).ToString();
        }

        // A scalar value was read: the next value of an array is one index further on.
        public void ValueRead() => TakeKey();

        // The pointer of the value being read (the property's value after a name, the next element in an array).
        public string ValuePointer()
        {
            var pointer = new StringBuilder();
            for (var i = 1; i < frames.Count; i++)
            {
                pointer.Append('/').Append(frames[i].Key is { } key ? Escape(key) : frames[i].Index.ToString(CultureInfo.InvariantCulture));
            }

            if (frames.Count > 0)
            {
                var parent = frames[^1];
                pointer.Append('/').Append(parent.Names is null ? parent.NextIndex.ToString(CultureInfo.InvariantCulture) : Escape(pendingName ?? ""));
            }

            return pointer.ToString();
        }

        // The key (escaped pointer segment) of the value about to be read, advancing the enclosing array's index.
        private (string? Key, int Index) TakeKey()
        {
            if (frames.Count == 0)
            {
                return (null, 0);
            }

            var parent = frames[^1];
            if (parent.Names is null)
            {
                frames[^1] = parent with { NextIndex = parent.NextIndex + 1 };
                return (null, parent.NextIndex);
            }

            var key = pendingName;
            pendingName = null;
            return (key, -1);
        }

        private readonly record struct Frame(string? Key, int Index, HashSet<string>? Names)
        {
            public int NextIndex { get; init; }
        }
    }
}
