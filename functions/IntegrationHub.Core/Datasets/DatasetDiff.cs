namespace IntegrationHub.Core.Datasets;

/// <summary>What changed between two versions of a period's data set, figure by figure.</summary>
public static class DatasetDiff
{
    /// <param name="previous">The older version; null for a first version (every figure is new).</param>
    public static IReadOnlyList<IndicatorChange> Compare(DatasetDocument? previous, DatasetDocument current)
    {
        var before = Index(previous);
        var after = Index(current);
        var changes = new List<IndicatorChange>();
        foreach (var key in before.Keys.Union(after.Keys).OrderBy(k => k.Area, StringComparer.Ordinal).ThenBy(k => k.Id, StringComparer.Ordinal))
        {
            double? old = before.TryGetValue(key, out var o) ? o : null;
            double? @new = after.TryGetValue(key, out var n) ? n : null;
            // Values are computed deterministically from the same inputs, so exact comparison is the right one.
            if (old != @new)
            {
                changes.Add(new IndicatorChange(key.Area, key.Id, old, @new));
            }
        }

        return changes;
    }

    private static Dictionary<(string Area, string Id), double> Index(DatasetDocument? document) =>
        document is null
            ? []
            : document.Areas
                .SelectMany(a => a.Indicators.Select(i => (Key: (a.AreaCode, i.Key), i.Value.Value)))
                .ToDictionary(x => x.Key, x => x.Value);
}
