using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHub.Cli.Convert;

// A place in the sheet: a cell, or a whole row when Column is negative.
internal sealed record CellRef(string Sheet, int Row, int Column, string Header)
{
    public override string ToString() => Column < 0
        ? $"sheet {Sheet}, row {Row}"
        : $"sheet {Sheet}, row {Row}, column {Convert.Sheet.ColumnLetters(Column)} ({Header})";
}

// A cell the converter could not map, or a feed error traced back to the cell it came from.
internal sealed record CellProblem(CellRef? Cell, string Message)
{
    public override string ToString() => Cell is null ? Message : $"{Cell}: {Message}";
}

// What the feed's envelope takes from the command line rather than the sheet.
internal sealed record FeedEnvelope(int Revision, DateTimeOffset ProducedAt, string Producer);

// Origins: JSON Pointer into the feed → the cell (or row) it came from, to report the validator's findings on the
// sheet.
internal sealed record Conversion(JsonObject? Feed, IReadOnlyList<CellProblem> Problems, IReadOnlyDictionary<string, CellRef> Origins)
{
    // The cell behind a JSON Pointer: its own, or the nearest enclosing value's (a record for a record-level rule).
    public CellRef? CellOf(string pointer)
    {
        for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
        {
            if (Origins.TryGetValue(p, out var cell))
            {
                return cell;
            }

            if (p.Length == 0)
            {
                return null;
            }
        }
    }
}

// A department's sheet in a template's layout to a contract feed (schemaVersion 1.1). Rows with the same area code make
// one record; a value that belongs to the record or the feed may stand in any of their rows, and where it stands in
// several it must be the same. Every cell that cannot be mapped is reported; the feed is built only when none is.
internal sealed class SheetConverter(Template template)
{
    private sealed class Value(JsonNode node, CellRef cell, string text)
    {
        public JsonNode Node { get; } = node;

        public CellRef Cell { get; } = cell;

        public string Text { get; } = text;
    }

    private sealed class Item(string array, string slot, Value? key)
    {
        public string Array { get; } = array;

        public string Slot { get; } = slot;

        public Value? Key { get; } = key;

        public Dictionary<string, Value> Fields { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Area(Value code)
    {
        public Value Code { get; } = code;

        public Dictionary<string, Value> Fields { get; } = new(StringComparer.Ordinal);

        public List<Item> Items { get; } = [];

        // Columns with a cell already reported for this area: not reported again as missing.
        public HashSet<int> Reported { get; } = [];
    }

    public Conversion Convert(Sheet sheet, FeedEnvelope envelope)
    {
        var problems = new List<CellProblem>();
        var header = sheet.Rows.FirstOrDefault(r => !r.IsBlank);
        if (header is null)
        {
            return new Conversion(null,
                [new CellProblem(null, $"sheet {sheet.Name} is empty: row 1 holds the {template.Source} template's headers (templates/README.md).")],
                new Dictionary<string, CellRef>());
        }

        var columns = MapHeader(sheet.Name, header, problems);
        if (problems.Count > 0)
        {
            return new Conversion(null, problems, new Dictionary<string, CellRef>());
        }

        var cellOf = columns.ToDictionary(c => c.Value, c => c.Key);
        var feedFields = new Dictionary<string, Value>(StringComparer.Ordinal);
        var areas = new List<Area>();
        var byCode = new Dictionary<string, Area>(StringComparer.Ordinal);
        foreach (var row in sheet.Rows.Where(r => r.Number > header.Number && !r.IsBlank))
        {
            var values = new Dictionary<TemplateColumn, Value>();
            var rowProblems = problems.Count;
            var failed = new List<int>();
            foreach (var (index, column) in columns)
            {
                var text = row[index];
                if (text.Length == 0)
                {
                    continue;
                }

                if (Parse(column, text, new CellRef(sheet.Name, row.Number, index, column.Header), problems) is { } value)
                {
                    values[column] = value;
                }
                else
                {
                    failed.Add(index);
                }
            }

            var areaColumn = template.Columns.Single(c => c.Role == ColumnRole.Area);
            if (!values.TryGetValue(areaColumn, out var code))
            {
                if (problems.Count == rowProblems)
                {
                    problems.Add(new CellProblem(new CellRef(sheet.Name, row.Number, cellOf[areaColumn], areaColumn.Header),
                        "is empty: every row needs its area code."));
                }

                continue;
            }

            if (!byCode.TryGetValue(code.Text, out var area))
            {
                area = new Area(code);
                byCode[code.Text] = area;
                areas.Add(area);
            }

            area.Reported.UnionWith(failed);

            foreach (var (column, value) in values)
            {
                switch (column.Role)
                {
                    case ColumnRole.Envelope:
                        Agree(feedFields, column.Path, value, "the feed", problems);
                        break;
                    case ColumnRole.Record:
                        Agree(area.Fields, column.Path, value, $"area {area.Code.Text}", problems);
                        break;
                }
            }

            AddItems(sheet.Name, row, area, values, cellOf, problems);
        }

        var periodColumn = template.Columns.Single(c => c.Path == "period");
        if (areas.Count == 0)
        {
            problems.Add(new CellProblem(new CellRef(sheet.Name, header.Number + 1, -1, ""), "no data: the rows under the headers are empty."));
        }
        else if (!feedFields.ContainsKey("period"))
        {
            problems.Add(new CellProblem(new CellRef(sheet.Name, areas[0].Code.Cell.Row, cellOf[periodColumn], periodColumn.Header),
                "is empty in every row: give the reporting period."));
        }

        foreach (var area in areas)
        {
            CheckRecord(sheet.Name, area, cellOf, problems);
        }

        if (problems.Count > 0)
        {
            return new Conversion(null, problems, new Dictionary<string, CellRef>());
        }

        var origins = new Dictionary<string, CellRef>(StringComparer.Ordinal);
        return new Conversion(Build(envelope, feedFields, areas, origins), problems, origins);
    }

    private Dictionary<int, TemplateColumn> MapHeader(string sheetName, SheetRow header, List<CellProblem> problems)
    {
        var known = new Dictionary<string, TemplateColumn>(StringComparer.Ordinal);
        foreach (var column in template.Columns)
        {
            foreach (var name in column.Headers)
            {
                known[NormaliseHeader(name)] = column;
            }
        }

        var columns = new Dictionary<int, TemplateColumn>();
        for (var i = 0; i < header.Cells.Count; i++)
        {
            var text = header[i];
            if (text.Length == 0)
            {
                continue;
            }

            var at = new CellRef(sheetName, header.Number, i, text);
            if (!known.TryGetValue(NormaliseHeader(text), out var column))
            {
                problems.Add(new CellProblem(at, $"is not a column of the {template.Source} template (templates/README.md lists them)."));
            }
            else if (columns.ContainsValue(column))
            {
                problems.Add(new CellProblem(at, $"repeats column {Sheet.ColumnLetters(columns.First(c => c.Value == column).Key)}."));
            }
            else
            {
                columns[i] = column;
            }
        }

        var present = columns.Values.ToHashSet();
        foreach (var column in template.Columns.Where(c => !present.Contains(c)))
        {
            var needed = column.Role switch
            {
                ColumnRole.Area => true,
                ColumnRole.Envelope or ColumnRole.Record when column.Required && column.Group is null => true,
                ColumnRole.Record when column.Group is { } group && !column.GroupOptional =>
                    column.Required || present.Any(p => p.Group == group),
                ColumnRole.Item => present.Any(p => p.Role == ColumnRole.Item && p.Slot == column.Slot) || SlotRequired(column.Slot!),
                ColumnRole.ItemKey => present.Any(p => p.Role == ColumnRole.Item
                    && column.Array!.Split(',').Contains(p.Array) && !p.Slot!.Contains(':', StringComparison.Ordinal))
                    || (column.Array == "energy" && present.Any(p => p.Array == "energy")),
                _ => false,
            };
            if (needed)
            {
                problems.Add(new CellProblem(new CellRef(sheetName, header.Number, -1, ""),
                    $"no column {column.Header}: the {template.Source} template needs it here."));
            }
        }

        return columns;
    }

    // Vehicles are required in every transport record; the other arrays only when the sheet has their columns.
    private bool SlotRequired(string slot) => template.Source == "transport" && slot == "vehicles";

    // Headers as typed by hand: full-width brackets and spaces do not matter.
    private static string NormaliseHeader(string header) =>
        string.Concat(header.Replace('（', '(').Replace('）', ')').Where(c => !char.IsWhiteSpace(c)));

    private static Value? Parse(TemplateColumn column, string text, CellRef cell, List<CellProblem> problems)
    {
        switch (column.Kind)
        {
            case CellKind.Text when column.Path == "period" && text.Length != 4
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                // Excel reads 2024-06 typed into a cell as a date and stores its serial number.
                problems.Add(new CellProblem(cell,
                    $"\"{text}\" is a number, not a period: Excel made a date of it; type the period as text (YYYY-MM, YYYY-Qn or YYYY)."));
                return null;
            case CellKind.Text:
                return new Value(JsonValue.Create(text), cell, text);
            case CellKind.Code:
                if (column.Codes!.TryGetValue(text, out var id) || column.Codes.Values.Contains(text, StringComparer.Ordinal))
                {
                    id ??= text;
                    return new Value(JsonValue.Create(id), cell, id);
                }

                problems.Add(new CellProblem(cell, $"\"{text}\" is not one of: {string.Join("、", column.Codes.Keys)}."));
                return null;
            default:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    problems.Add(new CellProblem(cell, $"\"{text}\" is not a number."));
                    return null;
                }

                if (column.Kind == CellKind.Integer)
                {
                    if (number != Math.Floor(number) || Math.Abs(number) > 1e15)
                    {
                        problems.Add(new CellProblem(cell, $"\"{text}\" is not a whole number."));
                        return null;
                    }

                    return new Value(JsonValue.Create((long)number), cell, text);
                }

                return new Value(JsonValue.Create(number), cell, text);
        }
    }

    // A value that may stand in several rows: the first one counts, and a different one later is reported.
    private static void Agree(Dictionary<string, Value> fields, string path, Value value, string whose, List<CellProblem> problems)
    {
        if (!fields.TryGetValue(path, out var first))
        {
            fields[path] = value;
        }
        else if (!JsonNode.DeepEquals(first.Node, value.Node))
        {
            problems.Add(new CellProblem(value.Cell, $"\"{value.Text}\" differs from \"{first.Text}\" in row {first.Cell.Row}: one value for {whose}."));
        }
    }

    private void AddItems(string sheetName, SheetRow row, Area area, Dictionary<TemplateColumn, Value> values,
        Dictionary<TemplateColumn, int> cellOf, List<CellProblem> problems)
    {
        var keyColumn = template.Columns.FirstOrDefault(c => c.Role == ColumnRole.ItemKey);
        var key = keyColumn is not null && values.TryGetValue(keyColumn, out var k) ? k : null;
        foreach (var slot in template.Columns.Where(c => c.Role == ColumnRole.Item).GroupBy(c => c.Slot!))
        {
            var given = slot.Where(values.ContainsKey).ToList();
            if (given.Count == 0)
            {
                continue;
            }

            var first = slot.First();
            var keyed = !slot.Key.StartsWith("consumption:", StringComparison.Ordinal);
            if (keyed && key is null)
            {
                var named = keyColumn is null ? "its key" : keyColumn.Header;
                problems.Add(new CellProblem(values[given[0]].Cell, $"is given, but the row has no {named}: the value belongs to no item."));
                continue;
            }

            foreach (var missing in slot.Where(c => c.Required && !values.ContainsKey(c) && cellOf.ContainsKey(c)))
            {
                problems.Add(new CellProblem(new CellRef(sheetName, row.Number, cellOf[missing], missing.Header),
                    $"is empty, but {given[0].Header} is given in this row: give both."));
            }

            var existing = area.Items.FirstOrDefault(i => i.Slot == slot.Key && (!keyed || i.Key!.Text == key!.Text));
            if (existing is not null && keyed)
            {
                problems.Add(new CellProblem(key!.Cell,
                    $"{key.Text} is given twice for area {area.Code.Text} (rows {existing.Key!.Cell.Row} and {row.Number})."));
                continue;
            }

            var item = existing ?? new Item(first.Array!, slot.Key, keyed ? key : null);
            if (existing is null)
            {
                area.Items.Add(item);
            }

            foreach (var column in given)
            {
                Agree(item.Fields, column.Path, values[column], $"area {area.Code.Text}", problems);
            }
        }
    }

    private void CheckRecord(string sheetName, Area area, Dictionary<TemplateColumn, int> cellOf, List<CellProblem> problems)
    {
        var row = area.Code.Cell.Row;
        foreach (var column in template.Columns.Where(c => c.Role == ColumnRole.Record && cellOf.ContainsKey(c)))
        {
            var needed = column.Group is null
                ? column.Required
                : !column.GroupOptional && (column.Required || area.Fields.Keys.Any(k => k.StartsWith(column.Group + ".", StringComparison.Ordinal)));
            if (needed && !area.Fields.ContainsKey(column.Path) && !area.Reported.Contains(cellOf[column]))
            {
                problems.Add(new CellProblem(new CellRef(sheetName, row, cellOf[column], column.Header),
                    $"is empty in every row of area {area.Code.Text}: the record needs "
                        + $"it{(column.Group is null ? "" : " (with the other columns of its group)")}."));
            }
        }
    }

    private JsonObject Build(FeedEnvelope envelope, Dictionary<string, Value> feedFields, List<Area> areas, Dictionary<string, CellRef> origins)
    {
        var feed = new JsonObject
        {
            ["schemaVersion"] = "1.1",
            ["source"] = template.Source,
            ["period"] = feedFields["period"].Node.DeepClone(),
            ["revision"] = envelope.Revision,
            ["producedAt"] = envelope.ProducedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["producer"] = envelope.Producer,
        };
        origins["/period"] = feedFields["period"].Cell;
        foreach (var column in template.Columns.Where(c => c.Role == ColumnRole.Envelope && c.Path != "period"))
        {
            if (feedFields.TryGetValue(column.Path, out var value))
            {
                Place(feed, "", column.Path, value, origins);
            }
        }

        var records = new JsonArray();
        foreach (var (index, area) in areas.Index())
        {
            var at = $"/records/{index}";
            origins[at] = area.Code.Cell;
            var record = new JsonObject { ["areaCode"] = area.Code.Node.DeepClone() };
            foreach (var column in template.Columns)
            {
                if (column.Role == ColumnRole.Record && area.Fields.TryGetValue(column.Path, out var value))
                {
                    Place(record, at, column.Path, value, origins);
                }
                else if (column.Role == ColumnRole.Item && !record.ContainsKey(column.Array!) && area.Items.Any(i => i.Array == column.Array))
                {
                    record[column.Array!] = Items(at + "/" + column.Array, area.Items.Where(i => i.Array == column.Array), origins);
                }
            }

            records.Add(record);
        }

        feed["records"] = records;
        return feed;
    }

    private JsonArray Items(string at, IEnumerable<Item> items, Dictionary<string, CellRef> origins)
    {
        var array = new JsonArray();
        foreach (var (index, item) in items.Index())
        {
            var itemAt = $"{at}/{index}";
            var node = new JsonObject();
            if (item.Key is { } key)
            {
                node[template.KeyField!] = key.Node.DeepClone();
                origins[itemAt] = key.Cell;
                origins[$"{itemAt}/{template.KeyField}"] = key.Cell;
            }

            var columns = template.Columns.Where(c => c.Role == ColumnRole.Item && c.Slot == item.Slot).ToList();
            foreach (var (name, fixedValue) in columns[0].Fixed ?? new Dictionary<string, string>())
            {
                node[name] = fixedValue;
            }

            foreach (var column in columns)
            {
                if (item.Fields.TryGetValue(column.Path, out var value))
                {
                    node[column.Path] = value.Node.DeepClone();
                    origins[$"{itemAt}/{column.Path}"] = value.Cell;
                    origins.TryAdd(itemAt, value.Cell);
                }
            }

            array.Add(node);
        }

        return array;
    }

    // Sets a dotted path (airQuality.aqiMean) in target, creating the object on the way.
    private static void Place(JsonObject target, string at, string path, Value value, Dictionary<string, CellRef> origins)
    {
        var parts = path.Split('.');
        var node = target;
        var pointer = at;
        foreach (var part in parts[..^1])
        {
            pointer += "/" + part;
            if (node[part] is not JsonObject inner)
            {
                inner = [];
                node[part] = inner;
                origins.TryAdd(pointer, value.Cell);
            }

            node = inner;
        }

        node[parts[^1]] = value.Node.DeepClone();
        origins[pointer + "/" + parts[^1]] = value.Cell;
    }
}
