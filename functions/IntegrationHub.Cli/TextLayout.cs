using System.Globalization;
using System.Text.Json;

namespace IntegrationHub.Cli;

// Compact, readable renderings of the hub's JSON answers for a terminal: aligned tables and key: value lines.
internal static class TextLayout
{
    private const int MaxCell = 60;

    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true };

    // Columns aligned on the widest cell, two spaces apart; long cells cut with an ellipsis.
    public static void Table(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var cells = rows.Select(r => r.Select(Cut).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        output.WriteLine(Line(headers.ToArray(), widths));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    // An object as key: value lines: scalars on their line, arrays of scalars joined, arrays of objects as an indented
    // table of their scalar fields, objects indented below their key.
    public static void Fields(TextWriter output, JsonElement value, int indent = 0)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            output.WriteLine(new string(' ', indent) + Scalar(value));
            return;
        }

        var properties = value.EnumerateObject().ToList();
        var width = properties.Count == 0 ? 0 : properties.Max(p => p.Name.Length) + 1;
        var pad = new string(' ', indent);
        foreach (var property in properties)
        {
            var label = pad + (property.Name + ":").PadRight(width);
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object when property.Value.EnumerateObject().Any():
                    output.WriteLine(label.TrimEnd());
                    Fields(output, property.Value, indent + 2);
                    break;
                case JsonValueKind.Array when property.Value.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object):
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} ({property.Value.GetArrayLength()})"));
                    ObjectTable(output, [.. property.Value.EnumerateArray()], indent + 2);
                    break;
                default:
                    output.WriteLine($"{label} {Scalar(property.Value)}");
                    break;
            }
        }
    }

    // A value on one line: text as it is, arrays of scalars joined with commas, anything else as compact JSON.
    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
            value.GetArrayLength() == 0 ? "-" : string.Join(", ", value.EnumerateArray().Select(Scalar)),
        _ => value.GetRawText(),
    };

    // The text of a property, or "-" when it is absent or null.
    public static string Text(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) ? Scalar(property) : "-";

    // Indented JSON, for --json.
    public static string Indented(JsonElement value) => JsonSerializer.Serialize(value, IndentedOptions);

    private static void ObjectTable(TextWriter output, IReadOnlyList<JsonElement> items, int indent)
    {
        // The scalar fields, in the order they first appear; nested values would not fit a row.
        var columns = items
            .Where(i => i.ValueKind == JsonValueKind.Object)
            .SelectMany(i => i.EnumerateObject())
            .Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            .Select(p => p.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var pad = new string(' ', indent);
        using var table = new StringWriter(CultureInfo.InvariantCulture);
        Table(table, columns, items.Select(i => (IReadOnlyList<string>)[.. columns.Select(c => Text(i, c))]));
        foreach (var line in table.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine(pad + line);
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    private static string Cut(string text)
    {
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= MaxCell ? single : single[..(MaxCell - 1)] + "…";
    }
}
