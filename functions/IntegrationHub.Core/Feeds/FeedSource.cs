namespace IntegrationHub.Core.Feeds;

/// <summary>The four department feed families, by their contract ids.</summary>
public static class FeedSource
{
    public const string Statistics = "statistics";
    public const string PowerGrid = "power-grid";
    public const string Transport = "transport";
    public const string Environment = "environment";

    /// <summary>Contract order; used wherever output must be stable.</summary>
    public static readonly IReadOnlyList<string> All = [Statistics, PowerGrid, Transport, Environment];

    /// <summary>Position in contract order, for sorting; unknown sources sort last.</summary>
    public static int OrderOf(string source)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == source)
            {
                return i;
            }
        }

        return All.Count;
    }

    public static bool IsKnown(string? source) => source is not null && All.Contains(source, StringComparer.Ordinal);

    /// <summary>Statistics sends years and quarters; the other departments send months.</summary>
    public static bool AcceptsPeriodKind(string source, PeriodKind kind) =>
        source == Statistics ? kind is PeriodKind.Year or PeriodKind.Quarter : kind == PeriodKind.Month;
}
