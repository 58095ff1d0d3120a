using System.Text.Json;
using Azure.Storage.Blobs;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>One version of a period's data set, read through the query API (or straight from storage).</summary>
public sealed record DatasetVersionView(string Period, int Version, JsonElement Document)
{
    /// <summary><c>year</c> or <c>quarter</c>, from the period's own form (YYYY, YYYY-Qn).</summary>
    public string Kind => Period.Contains("-Q", StringComparison.Ordinal) ? "quarter" : "year";

    public string EventId => $"{Period}/v{Version}";

    public IReadOnlyList<string> InputFeedIds => PublishedDatasets.InputsOf(Document);

    public IReadOnlyList<string> AreaCodes => [.. Document.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("areaCode").GetString()!)];

    /// <summary>Every figure of the version: (area, indicator id) → value.</summary>
    public IReadOnlyDictionary<(string Area, string Id), double> Figures =>
        Document.GetProperty("areas").EnumerateArray()
            .SelectMany(
                a => a.GetProperty("indicators").EnumerateObject()
                .Select(i => (Key: (a.GetProperty("areaCode").GetString()!, i.Name), Value: i.Value.GetProperty("value").GetDouble())))
            .ToDictionary(x => x.Key, x => x.Value);
}

/// <summary>
/// What the announcement of a version must say, worked out by the test from the versions themselves: the figures
/// that differ from the version before (all of them for version 1), the areas of those figures (every area of the
/// data set for version 1), and so which subscribers' filters match.
/// </summary>
public sealed record ExpectedAnnouncement(DatasetVersionView Version, IReadOnlySet<(string Area, string Id)> Changed, IReadOnlySet<string> Areas)
{
    public IReadOnlySet<string> IndicatorIds => Changed.Select(c => c.Id).ToHashSet();

    public bool IsFor(Subscriber subscriber) => subscriber.Matches(Version.Kind, Areas, IndicatorIds);
}

public static class PublishedDatasets
{
    /// <summary>The feed ids a data-set document lists in <c>inputs</c>.</summary>
    public static List<string> InputsOf(JsonElement dataset) =>
        [.. dataset.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("feedId").GetString()!)];

    /// <summary>Every published version of every period, through the query API.</summary>
    public static async Task<IReadOnlyList<DatasetVersionView>> ReadAllAsync(HubApi api)
    {
        var all = new List<DatasetVersionView>();
        foreach (var period in await api.DatasetPeriodsAsync())
        {
            foreach (var version in await api.DatasetVersionsAsync(period))
            {
                all.Add(new DatasetVersionView(period, version, await api.DatasetVersionAsync(period, version)));
            }
        }

        return all;
    }

    /// <summary>Every version blob the hub wrote for a period (<c>datasets/{period}/v{n}.json</c>), announced or not, straight from the Azurite.</summary>
    public static async Task<IReadOnlyList<DatasetVersionView>> ReadStoredAsync(BlobServiceClient blobs, string period)
    {
        var container = blobs.GetBlobContainerClient("datasets");
        var versions = new List<DatasetVersionView>();
        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = period + "/v" }))
        {
            var name = item.Name[(period.Length + 2)..];
            if (name.EndsWith(".json", StringComparison.Ordinal) && int.TryParse(name[..^5], out var n))
            {
                var content = await container.GetBlobClient(item.Name).DownloadContentAsync();
                versions.Add(new DatasetVersionView(period, n, JsonDocument.Parse(content.Value.Content.ToMemory()).RootElement.Clone()));
            }
        }

        return [.. versions.OrderBy(v => v.Version)];
    }

    public static IReadOnlyList<ExpectedAnnouncement> Announcements(IEnumerable<DatasetVersionView> versions) =>
        [.. versions.GroupBy(v => v.Period).SelectMany(period =>
        {
            DatasetVersionView? previous = null;
            var list = new List<ExpectedAnnouncement>();
            foreach (var version in period.OrderBy(v => v.Version))
            {
                list.Add(Announcement(previous, version));
                previous = version;
            }

            return list;
        })];

    private static ExpectedAnnouncement Announcement(DatasetVersionView? previous, DatasetVersionView current)
    {
        var before = previous?.Figures ?? new Dictionary<(string, string), double>();
        var after = current.Figures;
        var changed = before.Keys.Union(after.Keys)
            .Where(k => !before.TryGetValue(k, out var old) || !after.TryGetValue(k, out var @new) || old != @new)
            .ToHashSet();
        var areas = changed.Select(c => c.Area).ToHashSet();
        if (previous is null)
        {
            areas.UnionWith(current.AreaCodes);
        }

        return new ExpectedAnnouncement(current, changed, areas);
    }
}
