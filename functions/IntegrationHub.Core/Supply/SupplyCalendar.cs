using System.Globalization;
using System.Text.Json.Serialization;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Supply;

/// <summary>Where a source's feed for a period stands against its due date.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SupplyState>))]
public enum SupplyState
{
    /// <summary>Not yet due, nothing received.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>One feed, received by the due time.</summary>
    [JsonStringEnumMemberName("received")] Received,

    /// <summary>First feed received by the due time, and later feeds (revisions) since.</summary>
    [JsonStringEnumMemberName("revised")] Revised,

    /// <summary>First feed received after the due time, revised or not.</summary>
    [JsonStringEnumMemberName("late")] Late,

    /// <summary>Due time passed, nothing received.</summary>
    [JsonStringEnumMemberName("missing")] Missing,
}

/// <summary>An accepted feed as the period ledger holds it.</summary>
/// <param name="ReceivedAt">The hub's clock when the bytes arrived; null for entries recorded before the ledger kept it.</param>
public sealed record SuppliedFeed(string Source, string Period, string FeedId, int Revision, DateTimeOffset? ReceivedAt);

/// <summary>One feed of a cell's revision history.</summary>
public sealed record SupplyFeed(
    [property: JsonPropertyName("feedId")] string FeedId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("receivedAt")] DateTimeOffset? ReceivedAt);

/// <summary>One source × period of the calendar.</summary>
/// <param name="DueBy">The last day (China time) a feed is on time.</param>
/// <param name="DueAt">The instant after which a feed is late: the end of <paramref name="DueBy"/>, China time.</param>
/// <param name="Feeds">Every accepted feed of the period, first received first.</param>
public sealed record SupplyCell(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("periodKind")] string PeriodKind,
    [property: JsonPropertyName("dueBy")] string DueBy,
    [property: JsonPropertyName("dueAt")] DateTimeOffset DueAt,
    [property: JsonPropertyName("state")] SupplyState State,
    [property: JsonPropertyName("receivedAt")] DateTimeOffset? ReceivedAt,
    [property: JsonPropertyName("feeds")] IReadOnlyList<SupplyFeed> Feeds);

/// <summary>
/// The supply calendar: per source and period, whether its feed is pending, received on time, revised, late or
/// missing, from the ledger's feeds and the hub's clock. Due dates come from the supply reference file.
/// </summary>
public static class SupplyCalendar
{
    /// <summary>The departments' calendar: China Standard Time (no daylight saving).</summary>
    public static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    /// <summary>The last day a feed for <paramref name="period"/> is on time under <paramref name="rule"/>.</summary>
    public static DateOnly DueBy(SupplyRule rule, Period period)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var months = (period.Year * 12) + period.LastMonth - 1 + rule.MonthsAfter;
        var (year, month) = (months / 12, (months % 12) + 1);
        return new DateOnly(year, month, Math.Min(rule.Day, DateTime.DaysInMonth(year, month)));
    }

    /// <summary>When a feed for <paramref name="period"/> becomes late: the end of its due day, China time.</summary>
    public static DateTimeOffset DueAt(SupplyRule rule, Period period) =>
        new DateTimeOffset(DueBy(rule, period).AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime).ToUniversalTime();

    /// <summary>The periods a rule expects by <paramref name="now"/>: from its first period to the one under way (China time).</summary>
    public static IEnumerable<Period> ExpectedPeriods(SupplyRule rule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var today = DateOnly.FromDateTime(now.ToOffset(ChinaTime).DateTime);
        for (var period = Period.Parse(rule.FirstPeriod); period.FirstDay <= today; period = Next(period))
        {
            yield return period;
        }
    }

    /// <summary>Every cell of every rule by <paramref name="now"/>, sources in the contract's order, periods ascending.</summary>
    public static IReadOnlyList<SupplyCell> Build(IEnumerable<SupplyRule> rules, IEnumerable<SuppliedFeed> feeds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(feeds);
        var byCell = feeds.GroupBy(f => (f.Source, f.Period)).ToDictionary(g => g.Key, g => g.ToList());
        return [.. rules
            .OrderBy(r => FeedSource.OrderOf(r.Source)).ThenBy(r => KindOrder(r.PeriodKind))
            .SelectMany(rule => ExpectedPeriods(rule, now).Select(period =>
                Cell(rule, period, byCell.GetValueOrDefault((rule.Source, period.ToString())) ?? [], now)))];
    }

    /// <summary>One cell: feeds ordered by received time (unknown times first: recorded by older builds), then revision.</summary>
    public static SupplyCell Cell(SupplyRule rule, Period period, IReadOnlyCollection<SuppliedFeed> feeds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(feeds);
        var dueAt = DueAt(rule, period);
        var ordered = feeds
            .OrderBy(f => f.ReceivedAt ?? DateTimeOffset.MinValue).ThenBy(f => f.Revision).ThenBy(f => f.FeedId, StringComparer.Ordinal)
            .Select(f => new SupplyFeed(f.FeedId, f.Revision, f.ReceivedAt))
            .ToList();
        var state = ordered.Count switch
        {
            0 => now >= dueAt ? SupplyState.Missing : SupplyState.Pending,
            _ when ordered[0].ReceivedAt >= dueAt => SupplyState.Late,
            1 => SupplyState.Received,
            _ => SupplyState.Revised,
        };
        return new SupplyCell(
            rule.Source, period.ToString(), rule.PeriodKind, DueBy(rule, period).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dueAt, state,
            ordered.Count == 0 ? null : ordered[0].ReceivedAt, ordered);
    }

    /// <summary>The period after <paramref name="period"/>, of the same kind.</summary>
    public static Period Next(Period period) => period.Kind switch
    {
        PeriodKind.Year => Period.OfYear(period.Year + 1),
        PeriodKind.Quarter => period.Index == 4 ? Period.OfQuarter(period.Year + 1, 1) : Period.OfQuarter(period.Year, period.Index + 1),
        _ => period.Index == 12 ? Period.OfMonth(period.Year + 1, 1) : Period.OfMonth(period.Year, period.Index + 1),
    };

    // Within statistics: years before quarters, as the contract lists them.
    private static int KindOrder(string kind) => kind switch { "year" => 0, "quarter" => 1, _ => 2 };
}
