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

        var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Limits.MaxDepth + 1, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
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

    /// <summary>One forward pass that tracks the JSON Pointer of every token, so each problem names its field.</summary>
    private ValidationIssue? Scan(ReadOnlySpan<byte> span)
    {
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = Limits.MaxDepth + 8, CommentHandling = JsonCommentHandling.Disallow });
        var frames = new Stack<Frame>();
        string? pendingName = null;
        long values = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray) && ++values > Limits.MaxValues)
                {
                    return new ValidationIssue(ChildPointer(frames, pendingName), null, "parse:too-many-values", string.Create(CultureInfo.InvariantCulture,
                        $"More than {Limits.MaxValues} JSON values; a feed of this size holds far fewer. Split it by area or period."));
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var pointer = ChildPointer(frames, pendingName);
                        pendingName = null;
                        if (frames.Count >= Limits.MaxDepth)
                        {
                            return new ValidationIssue(pointer, null, "parse:too-deep", string.Create(CultureInfo.InvariantCulture,
                                $"Nesting deeper than {Limits.MaxDepth} levels; feeds of this contract are at most a few levels deep."));
                        }

                        frames.Push(new Frame(pointer, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var owner = frames.Peek();
                        if (!TryUnescape(ref reader, out var name) || name is null)
                        {
                            return LoneSurrogate(owner.Pointer + "/" + Escape(Encoding.UTF8.GetString(reader.ValueSpan)), "property name");
                        }

                        if (!owner.Names!.Add(name))
                        {
                            return new ValidationIssue(owner.Pointer + "/" + Escape(name), null, "parse:duplicate-property",
                                $"Property '{name}' appears twice in the same object; a feed must be unambiguous.");
                        }

                        pendingName = name;
                        break;
                    case JsonTokenType.Number:
                        var numberPointer = ChildPointer(frames, pendingName);
                        pendingName = null;
                        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
                        {
                            return new ValidationIssue(numberPointer, null, "parse:number-out-of-range",
                                $"The number {Encoding.UTF8.GetString(reader.ValueSpan)} is outside the range of a double-precision value.");
                        }

                        break;
                    case JsonTokenType.String:
                        var stringPointer = ChildPointer(frames, pendingName);
                        pendingName = null;
                        if (!TryUnescape(ref reader, out _))
                        {
                            return LoneSurrogate(stringPointer, "string");
                        }

                        break;
                    default:
                        ChildPointer(frames, pendingName);
                        pendingName = null;
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

    /// <summary>
    /// Unescapes the current string or name. An escaped lone surrogate (<c>"\uDFAA"</c>) is valid JSON syntax but no
    /// text: every later reader of the string (the schema's patterns, the normaliser) would throw on it.
    /// </summary>
    private static bool TryUnescape(ref Utf8JsonReader reader, out string? value)
    {
        if (!reader.ValueIsEscaped && reader.TokenType == JsonTokenType.String)
        {
            value = null;
            return true;
        }

        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    private static ValidationIssue LoneSurrogate(string pointer, string what) => new(pointer, null, "parse:invalid-json",
        $"The {what} holds an escaped lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair): it is no text. Send the character itself, in UTF-8.");

    /// <summary>The pointer of the value about to be read, advancing the array index of the enclosing frame.</summary>
    private static string ChildPointer(Stack<Frame> frames, string? pendingName)
    {
        if (frames.Count == 0)
        {
            return "";
        }

        var parent = frames.Peek();
        if (parent.IsArray)
        {
            return parent.Pointer + "/" + (parent.NextIndex++).ToString(CultureInfo.InvariantCulture);
        }

        return parent.Pointer + "/" + Escape(pendingName ?? "");
    }

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

    private sealed class Frame(string pointer, bool isArray)
    {
        public string Pointer { get; } = pointer;

        public bool IsArray { get; } = isArray;

        public int NextIndex { get; set; }

        public HashSet<string>? Names { get; } = isArray ? null : new HashSet<string>(StringComparer.Ordinal);
    }
}
