using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Core.Evolution;

/// <summary>One way a newer schema may refuse what an older one accepted: where in the newer schema, which rule, why.</summary>
/// <param name="Pointer">JSON Pointer into the newer schema; for <c>property-removed</c>, where the property was in the older one.</param>
public sealed record SchemaDifference(string Pointer, string Rule, string Message);

/// <summary>
/// Structural comparison of two JSON Schemas (draft 2020-12, the subset the hub's feed schemas use): every way the
/// newer one can refuse a document the older one accepted. It follows <c>properties</c>, <c>additionalProperties</c>,
/// <c>items</c> and local <c>$ref</c>s (into <c>$defs</c>) together in both schemas. Keywords it has no rule for are
/// never passed silently: a change to one is reported as <see cref="Rules.CannotProve"/>.
/// </summary>
public sealed class SchemaComparer
{
    /// <summary>The rule names of the findings, stable for scripts and documentation.</summary>
    public static class Rules
    {
        public const string RequiredAdded = "required-added";
        public const string TypeNarrowed = "type-narrowed";
        public const string EnumNarrowed = "enum-narrowed";
        public const string ConstNarrowed = "const-narrowed";
        public const string RangeNarrowed = "range-narrowed";
        public const string PatternChanged = "pattern-changed";
        public const string FormatChanged = "format-changed";
        public const string PropertyRemoved = "property-removed";
        public const string AdditionalPropertiesClosed = "additional-properties-closed";
        public const string DependentRequiredAdded = "dependent-required-added";
        public const string SchemaFalse = "schema-false";
        public const string CannotProve = "cannot-prove-compatible";
    }

    // Keywords that never change which documents are valid.
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "examples", "$comment", "default", "deprecated", "readOnly", "writeOnly", "$defs",
    };

    // Keywords compared by a rule of their own below.
    private static readonly HashSet<string> Compared = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
        "minItems", "maxItems", "pattern", "format", "required", "properties", "additionalProperties", "items", "dependentRequired",
    };

    private static readonly string[] AllTypes = ["null", "boolean", "object", "array", "number", "integer", "string"];

    private readonly JsonNode oldRoot;
    private readonly JsonNode newRoot;
    private readonly string oldVersion;
    private readonly string newVersion;
    private readonly List<SchemaDifference> differences = [];
    private readonly HashSet<(string Old, string New)> visited = [];

    private SchemaComparer(JsonNode oldRoot, JsonNode newRoot, string oldVersion, string newVersion)
    {
        this.oldRoot = oldRoot;
        this.newRoot = newRoot;
        this.oldVersion = oldVersion;
        this.newVersion = newVersion;
    }

    /// <summary>
    /// Every difference by which <paramref name="newSchema"/> is narrower than <paramref name="oldSchema"/>; none when
    /// every document the older accepts, the newer accepts too (as far as the keywords compared can tell). The root's
    /// <c>schemaVersion</c> <c>const</c> is the version marker: it equals each schema's own version and is not compared.
    /// </summary>
    public static IReadOnlyList<SchemaDifference> Compare(JsonNode oldSchema, JsonNode newSchema, string oldVersion, string newVersion)
    {
        ArgumentNullException.ThrowIfNull(oldSchema);
        ArgumentNullException.ThrowIfNull(newSchema);
        var comparer = new SchemaComparer(oldSchema, newSchema, oldVersion, newVersion);
        if (!JsonNode.DeepEquals(oldSchema["$schema"], newSchema["$schema"]))
        {
            comparer.Add("/$schema", Rules.CannotProve,
                $"The schema's dialect ($schema) changed from {Text(oldSchema["$schema"])} to {Text(newSchema["$schema"])}: every keyword may mean "
                    + $"something else.");
        }

        comparer.CompareNodes(oldSchema, "", newSchema, "", "the feed");
        return comparer.differences
            .DistinctBy(d => (d.Pointer, d.Rule, d.Message))
            .OrderBy(d => d.Pointer, StringComparer.Ordinal).ThenBy(d => d.Rule, StringComparer.Ordinal)
            .ToArray();
    }

    // The keywords of a subschema that assert something, each with the pointer of the object it stands in.
    private sealed class View
    {
        public bool IsFalse { get; init; }

        public Dictionary<string, (JsonNode? Value, string Owner)> Keywords { get; } = new(StringComparer.Ordinal);

        // Where the subschema's assertions finally live (a $ref's target): what recursion is keyed on.
        public string Home { get; set; } = "";

        public bool Has(string keyword) => Keywords.ContainsKey(keyword);

        public JsonNode? Value(string keyword) => Keywords.TryGetValue(keyword, out var k) ? k.Value : null;

        public string At(string keyword) => Keywords.TryGetValue(keyword, out var k) ? $"{k.Owner}/{Escape(keyword)}" : "";
    }

    // A subschema with its local $ref followed and merged with the keywords beside it.
    private View Resolve(JsonNode root, JsonNode? node, string pointer, bool isNew, int depth = 0)
    {
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return new View { IsFalse = value.GetValueKind() == JsonValueKind.False, Home = pointer };
        }

        var view = new View { Home = pointer };
        if (node is not JsonObject schema)
        {
            return view;
        }

        foreach (var (keyword, keywordValue) in schema)
        {
            // The root's identity and dialect are compared once, in Compare; a nested $id is a keyword like any other.
            if (Annotations.Contains(keyword) || keyword == "$ref" || (pointer.Length == 0 && keyword is "$id" or "$schema"))
            {
                continue;
            }

            view.Keywords[keyword] = (keywordValue, pointer);
        }

        if (schema["$ref"] is not { } reference)
        {
            return view;
        }

        var target = reference.GetValueKind() == JsonValueKind.String ? reference.GetValue<string>() : "";
        if (depth > 32 || !target.StartsWith("#", StringComparison.Ordinal) || Target(root, target[1..]) is not { } resolved)
        {
            if (isNew)
            {
                Add($"{pointer}/$ref", Rules.CannotProve,
                    $"The reference {Text(reference)} does not point into this schema, so what it allows cannot be compared.");
            }

            view.Keywords["$ref"] = (reference, pointer);
            return view;
        }

        var referenced = Resolve(root, resolved, target[1..], isNew, depth + 1);
        if (referenced.IsFalse)
        {
            return new View { IsFalse = true, Home = referenced.Home };
        }

        foreach (var (keyword, entry) in referenced.Keywords)
        {
            if (view.Keywords.ContainsKey(keyword) && isNew)
            {
                Add($"{pointer}/{Escape(keyword)}", Rules.CannotProve,
                    $"'{keyword}' stands both beside the $ref and in {target}; the gate compares one or the other, not both together.");
            }

            view.Keywords[keyword] = entry;
        }

        view.Home = referenced.Home;
        return view;
    }

    private void CompareNodes(JsonNode? oldNode, string oldPointer, JsonNode? newNode, string newPointer, string field)
    {
        var o = Resolve(oldRoot, oldNode, oldPointer, isNew: false);
        var n = Resolve(newRoot, newNode, newPointer, isNew: true);
        if (!visited.Add((o.Home, n.Home)) || o.IsFalse)
        {
            return;
        }

        if (n.IsFalse)
        {
            Add(n.Home, Rules.SchemaFalse, $"{Field(field)} accepts nothing in {newVersion} (the schema false); {oldVersion} accepted values here.");
            return;
        }

        CompareType(o, n, field);
        CompareValues(o, n, field, newPointer);
        CompareLowerBound(o, n, field);
        CompareUpperBound(o, n, field);
        CompareCount(o, n, field, "minLength", "characters", atLeast: true);
        CompareCount(o, n, field, "maxLength", "characters", atLeast: false);
        CompareCount(o, n, field, "minItems", "items", atLeast: true);
        CompareCount(o, n, field, "maxItems", "items", atLeast: false);
        CompareText(o, n, field, "pattern", Rules.PatternChanged, "pattern");
        CompareText(o, n, field, "format", Rules.FormatChanged, "format");
        CompareObject(o, n, field);
        if (o.Has("items") || n.Has("items"))
        {
            CompareNodes(o.Value("items") ?? JsonValue.Create(true), o.Has("items") ? o.At("items") : o.Home, n.Value("items") ?? JsonValue.Create(true),
                n.Has("items") ? n.At("items") : n.Home, field + "[]");
        }

        CompareUnknown(o, n, field);
    }

    private void CompareType(View o, View n, string field)
    {
        if (TypesOf(n) is not { } newTypes)
        {
            return;
        }

        var oldTypes = TypesOf(o) ?? ValueTypes(o) ?? [.. AllTypes];
        var lost = oldTypes.Where(t => !newTypes.Contains(t) && !(t == "integer" && newTypes.Contains("number"))).ToArray();
        if (lost.Length > 0)
        {
            Add(n.At("type"), Rules.TypeNarrowed,
                $"{Field(field)} allowed {List(oldTypes)} in {oldVersion} and allows only {List(newTypes)} in {newVersion}: a feed sending "
                    + $"{List(lost)} here would now be refused.");
        }
    }

    private void CompareValues(View o, View n, string field, string newPointer)
    {
        var oldValues = ValuesOf(o);
        foreach (var keyword in (string[])["const", "enum"])
        {
            if (!n.Has(keyword))
            {
                continue;
            }

            var newValues = keyword == "const" ? [n.Value("const")] : (n.Value("enum") as JsonArray)?.ToArray() ?? [];
            // Each version fixes the marker to itself; whether it names the right version is the gate's version-marker rule.
            if (keyword == "const" && newPointer == "/properties/schemaVersion" && IsVersionMarker(o, n))
            {
                continue;
            }

            var rule = keyword == "const" ? Rules.ConstNarrowed : Rules.EnumNarrowed;
            if (oldValues is null)
            {
                Add(n.At(keyword), rule, $"{Field(field)} took any value in {oldVersion} and only {ValueList(newValues)} in {newVersion}.");
                continue;
            }

            var lost = oldValues.Where(v => !newValues.Any(w => JsonNode.DeepEquals(v, w))).ToArray();
            if (lost.Length > 0)
            {
                Add(n.At(keyword), rule,
                    $"{Field(field)} no longer accepts {ValueList(lost)} in {newVersion} ({oldVersion} did); a feed sending it would now be refused.");
            }
        }
    }

    private static bool IsVersionMarker(View o, View n) =>
        o.Value("const")?.GetValueKind() == JsonValueKind.String && n.Value("const")?.GetValueKind() == JsonValueKind.String;

    private void CompareLowerBound(View o, View n, string field)
    {
        if (Bound(n, "minimum", "exclusiveMinimum", lower: true) is not { } fresh)
        {
            return;
        }

        var old = Bound(o, "minimum", "exclusiveMinimum", lower: true);
        if (old is null || fresh.Value > old.Value.Value || (fresh.Value == old.Value.Value && fresh.Exclusive && !old.Value.Exclusive))
        {
            Add(n.At(fresh.Keyword), Rules.RangeNarrowed, old is null
                ? $"{Field(field)} had no lower limit in {oldVersion} and must be {Limit(fresh, ">")} in {newVersion}."
                : $"{Field(field)}'s lower limit rises from {Limit(old.Value, ">")} in {oldVersion} to {Limit(fresh, ">")} in {newVersion}.");
        }
    }

    private void CompareUpperBound(View o, View n, string field)
    {
        if (Bound(n, "maximum", "exclusiveMaximum", lower: false) is not { } fresh)
        {
            return;
        }

        var old = Bound(o, "maximum", "exclusiveMaximum", lower: false);
        if (old is null || fresh.Value < old.Value.Value || (fresh.Value == old.Value.Value && fresh.Exclusive && !old.Value.Exclusive))
        {
            Add(n.At(fresh.Keyword), Rules.RangeNarrowed, old is null
                ? $"{Field(field)} had no upper limit in {oldVersion} and must be {Limit(fresh, "<")} in {newVersion}."
                : $"{Field(field)}'s upper limit falls from {Limit(old.Value, "<")} in {oldVersion} to {Limit(fresh, "<")} in {newVersion}.");
        }
    }

    private void CompareCount(View o, View n, string field, string keyword, string unit, bool atLeast)
    {
        if (Number(n.Value(keyword)) is not { } fresh)
        {
            return;
        }

        var old = Number(o.Value(keyword)) ?? (atLeast ? 0 : double.PositiveInfinity);
        if (atLeast ? fresh > old : fresh < old)
        {
            var was = double.IsPositiveInfinity(old) ? "no limit" : $"{(atLeast ? "at least" : "at most")} {Format(old)}";
            Add(n.At(keyword), Rules.RangeNarrowed,
                $"{Field(field)} must have {(atLeast ? "at least" : "at most")} {Format(fresh)} {unit} in {newVersion} ({oldVersion}: {was}).");
        }
    }

    private void CompareText(View o, View n, string field, string keyword, string rule, string what)
    {
        if (!n.Has(keyword) || JsonNode.DeepEquals(o.Value(keyword), n.Value(keyword)))
        {
            return;
        }

        Add(n.At(keyword), rule, o.Has(keyword)
            ? $"{Field(field)}'s {what} changed from {Text(o.Value(keyword))} in {oldVersion} to {Text(n.Value(keyword))} in {newVersion}; values the "
                + $"old {what} accepted may be refused."
            : $"{Field(field)} must match the {what} {Text(n.Value(keyword))} from {newVersion} on; {oldVersion} did not ask for it.");
    }

    private void CompareObject(View o, View n, string field)
    {
        var oldRequired = Names(o.Value("required"));
        if (n.Value("required") is JsonArray newRequired)
        {
            for (var i = 0; i < newRequired.Count; i++)
            {
                var name = Text(newRequired[i]).Trim('"');
                if (!oldRequired.Contains(name))
                {
                    Add($"{n.At("required")}/{i.ToString(CultureInfo.InvariantCulture)}", Rules.RequiredAdded,
                        $"{Field(Child(field, name))} is required from {newVersion} on; a feed valid under {oldVersion} may leave it out. Make it "
                            + $"optional, or publish a new major version.");
                }
            }
        }

        var oldProperties = o.Value("properties") as JsonObject;
        var newProperties = n.Value("properties") as JsonObject;
        var oldAdditional = o.Value("additionalProperties");
        var newAdditional = n.Value("additionalProperties");
        var oldClosed = IsFalse(oldAdditional);
        var newClosed = IsFalse(newAdditional);
        foreach (var name in Keys(oldProperties).Union(Keys(newProperties), StringComparer.Ordinal))
        {
            var inOld = oldProperties?.ContainsKey(name) == true;
            var inNew = newProperties?.ContainsKey(name) == true;
            var oldAt = $"{o.At("properties")}/{Escape(name)}";
            var newAt = $"{n.At("properties")}/{Escape(name)}";
            if (inOld && inNew)
            {
                CompareNodes(oldProperties![name], oldAt, newProperties![name], newAt, Child(field, name));
            }
            else if (inOld && newClosed && !oldClosed)
            {
                // Reported once, as the closing itself.
                continue;
            }
            else if (inOld && newClosed)
            {
                Add(oldAt, Rules.PropertyRemoved,
                    $"{Field(Child(field, name))} was part of {oldVersion} and is gone from {newVersion}, where unknown properties are refused: a "
                        + $"feed still sending it would be refused.");
            }
            else if (inOld && newAdditional is not null)
            {
                CompareNodes(oldProperties![name], oldAt, newAdditional, n.At("additionalProperties"), Child(field, name));
            }
            else if (inNew && !oldClosed)
            {
                // Old feeds could send this name with any value its additionalProperties allowed.
                CompareNodes(oldAdditional ?? JsonValue.Create(true), o.Has("additionalProperties") ? o.At("additionalProperties") : o.Home,
                    newProperties![name], newAt, Child(field, name));
            }
        }

        if (newClosed && !oldClosed)
        {
            Add(n.At("additionalProperties"), Rules.AdditionalPropertiesClosed,
                $"{Field(field)} refuses properties it does not list from {newVersion} on; {oldVersion} accepted them, so a feed with an extra "
                    + $"property would now be refused.");
        }
        else if (newAdditional is not null && !newClosed && !oldClosed)
        {
            CompareNodes(oldAdditional ?? JsonValue.Create(true), o.Has("additionalProperties") ? o.At("additionalProperties") : o.Home,
                newAdditional, n.At("additionalProperties"), field + ".*");
        }

        CompareDependentRequired(o, n, field, oldProperties, oldClosed);
    }

    private void CompareDependentRequired(View o, View n, string field, JsonObject? oldProperties, bool oldClosed)
    {
        if (n.Value("dependentRequired") is not JsonObject newDependencies)
        {
            return;
        }

        var oldDependencies = o.Value("dependentRequired") as JsonObject;
        foreach (var (name, dependencies) in newDependencies)
        {
            // A property the old version refused never appears in an old feed, so nothing can depend on it there.
            if (oldClosed && oldProperties?.ContainsKey(name) != true)
            {
                continue;
            }

            var added = Names(dependencies).Except(Names(oldDependencies?[name])).Order(StringComparer.Ordinal).ToArray();
            if (added.Length > 0)
            {
                Add($"{n.At("dependentRequired")}/{Escape(name)}", Rules.DependentRequiredAdded,
                    $"{Field(Child(field, name))} needs {string.Join(", ", added.Select(a => $"'{a}'"))} beside it from {newVersion} on; {oldVersion} "
                        + $"did not.");
            }
        }
    }

    // Any other keyword: the same value in both schemas (and no reference inside it) is safe; anything else cannot be
    // proven.
    private void CompareUnknown(View o, View n, string field)
    {
        foreach (var (keyword, (value, owner)) in n.Keywords)
        {
            if (Compared.Contains(keyword))
            {
                continue;
            }

            var unchanged = o.Has(keyword) && JsonNode.DeepEquals(o.Value(keyword), value) && !ContainsReference(value);
            if (!unchanged)
            {
                Add($"{owner}/{Escape(keyword)}", Rules.CannotProve,
                    $"{Field(field)} uses '{keyword}', {(o.Has(keyword) ? "changed" : "new")} in {newVersion}; the gate has no rule for this keyword, "
                        + $"so it cannot prove "
                    + $"that every {oldVersion} feed still passes. Express the change with the keywords it compares, or publish a new major version.");
            }
        }
    }

    private static HashSet<string>? TypesOf(View view) => view.Value("type") switch
    {
        JsonValue single when single.GetValueKind() == JsonValueKind.String => [single.GetValue<string>()],
        JsonArray many => [.. many.Select(t => Text(t).Trim('"'))],
        _ => null,
    };

    // The types of an enum's or const's values: what an untyped schema with a value list effectively allows.
    private static HashSet<string>? ValueTypes(View view) => ValuesOf(view) is { } values ? [.. values.Select(TypeOf)] : null;

    private static List<JsonNode?>? ValuesOf(View view)
    {
        List<JsonNode?>? values = null;
        if (view.Has("const"))
        {
            values = [view.Value("const")];
        }

        if (view.Value("enum") is JsonArray list)
        {
            values = values is null ? [.. list] : [.. values.Where(v => list.Any(w => JsonNode.DeepEquals(v, w)))];
        }

        return values;
    }

    private static string TypeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => Number(value) is { } d && d == Math.Floor(d) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        _ => "null",
    };

    private readonly record struct BoundValue(double Value, bool Exclusive, string Keyword);

    // The tighter of the inclusive and exclusive bound on one side; null when there is none.
    private static BoundValue? Bound(View view, string inclusive, string exclusive, bool lower)
    {
        BoundValue? bound = Number(view.Value(inclusive)) is { } i ? new BoundValue(i, false, inclusive) : null;
        if (Number(view.Value(exclusive)) is { } e)
        {
            var tighter = bound is null || (lower ? e >= bound.Value.Value : e <= bound.Value.Value);
            bound = tighter ? new BoundValue(e, true, exclusive) : bound;
        }

        return bound;
    }

    private static string Limit(BoundValue limit, string direction) =>
        $"{direction}{(limit.Exclusive ? "" : "=")} {Format(limit.Value)}";

    private static double? Number(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.Number ? double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    private static bool IsFalse(JsonNode? node) => node?.GetValueKind() == JsonValueKind.False;

    private static bool ContainsReference(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Any(p => p.Key == "$ref" || ContainsReference(p.Value)),
        JsonArray array => array.Any(ContainsReference),
        _ => false,
    };

    private static HashSet<string> Names(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => Text(n).Trim('"'))] : [];

    private static IEnumerable<string> Keys(JsonObject? obj) => obj?.Select(p => p.Key) ?? [];

    private static JsonNode? Target(JsonNode root, string pointer)
    {
        if (pointer.Length == 0)
        {
            return root;
        }

        if (!pointer.StartsWith('/'))
        {
            return null;
        }

        var node = root;
        foreach (var segment in pointer[1..].Split('/'))
        {
            var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj => obj[name],
                JsonArray array when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private void Add(string pointer, string rule, string message) => differences.Add(new SchemaDifference(pointer, rule, message));

    private static string Child(string field, string name) => field == "the feed" ? name : $"{field}.{name}";

    private static string Field(string field) => field == "the feed" ? "The feed" : $"'{field}'";

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string ValueList(IEnumerable<JsonNode?> values) => string.Join(", ", values.Select(Text));

    private static string List(IEnumerable<string> types) => string.Join(" or ", types.Order(StringComparer.Ordinal));

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
