using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Supply;

/// <summary>
/// Which cells of the calendar a reader asked for: a source, and periods whose last month falls between the first
/// month of <c>from</c> and the last month of <c>to</c> (each any period: <c>2025</c>, <c>2025-Q1</c>, <c>2025-03</c>).
/// </summary>
public sealed record SupplyFilter(string? Source, Period? From, Period? To)
{
    public const string SourceParameter = "source";
    public const string FromParameter = "from";
    public const string ToParameter = "to";

    public static readonly SupplyFilter All = new(null, null, null);

    /// <returns>The filter, or the parameter at fault with the rule it breaks and why.</returns>
    public static (SupplyFilter? Filter, SupplyRefusal? Refusal) Parse(string? source, string? from, string? to)
    {
        if (!string.IsNullOrEmpty(source) && !FeedSource.IsKnown(source))
        {
            return (null,
                new SupplyRefusal(SourceParameter, "rule:known-source", $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}."));
        }

        Period? first = null;
        Period? last = null;
        if (!string.IsNullOrEmpty(from))
        {
            if (!Period.TryParse(from, out var parsed))
            {
                return (null, new SupplyRefusal(FromParameter, "rule:period-format", $"'{from}' is not a period (YYYY, YYYY-Qn or YYYY-MM)."));
            }

            first = parsed;
        }

        if (!string.IsNullOrEmpty(to))
        {
            if (!Period.TryParse(to, out var parsed))
            {
                return (null, new SupplyRefusal(ToParameter, "rule:period-format", $"'{to}' is not a period (YYYY, YYYY-Qn or YYYY-MM)."));
            }

            last = parsed;
        }

        if (first is { } f && last is { } l && MonthNumber(f.Year, f.FirstMonth) > MonthNumber(l.Year, l.LastMonth))
        {
            return (null, new SupplyRefusal(ToParameter, "rule:from-not-after-to", $"to '{to}' ends before from '{from}' begins."));
        }

        return (new SupplyFilter(string.IsNullOrEmpty(source) ? null : source, first, last), null);
    }

    public bool Includes(SupplyCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (Source is not null && cell.Source != Source)
        {
            return false;
        }

        var period = Period.Parse(cell.Period);
        var end = MonthNumber(period.Year, period.LastMonth);
        return (From is not { } from || end >= MonthNumber(from.Year, from.FirstMonth))
            && (To is not { } to || end <= MonthNumber(to.Year, to.LastMonth));
    }

    private static int MonthNumber(int year, int month) => (year * 12) + month;
}

/// <summary>A query parameter the calendar cannot answer: its name, the rule it breaks (<c>rule:…</c>) and why.</summary>
public sealed record SupplyRefusal(string Parameter, string Rule, string Detail);
