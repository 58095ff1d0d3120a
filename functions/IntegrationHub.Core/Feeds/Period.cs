using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IntegrationHub.Core.Feeds;

public enum PeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>A canonical reporting period: <c>YYYY</c>, <c>YYYY-Qn</c> or <c>YYYY-MM</c>.</summary>
public readonly record struct Period : IComparable<Period>
{
    private Period(PeriodKind kind, int year, int index)
    {
        Kind = kind;
        Year = year;
        Index = index;
    }

    public PeriodKind Kind { get; }

    public int Year { get; }

    /// <summary>Month 1-12, quarter 1-4, or 0 for a year.</summary>
    public int Index { get; }

    public static Period OfYear(int year) => new(PeriodKind.Year, year, 0);

    public static Period OfQuarter(int year, int quarter) =>
        quarter is >= 1 and <= 4 ? new(PeriodKind.Quarter, year, quarter) : throw new ArgumentOutOfRangeException(nameof(quarter));

    public static Period OfMonth(int year, int month) =>
        month is >= 1 and <= 12 ? new(PeriodKind.Month, year, month) : throw new ArgumentOutOfRangeException(nameof(month));

    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (text is null || text.Length < 4 || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1900)
        {
            return false;
        }

        if (text.Length == 4)
        {
            period = OfYear(year);
            return true;
        }

        if (text.Length == 7 && text[4] == '-' && text[5] == 'Q' && text[6] is >= '1' and <= '4')
        {
            period = OfQuarter(year, text[6] - '0');
            return true;
        }

        if (text.Length == 7 && text[4] == '-'
            && int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
        {
            period = OfMonth(year, month);
            return true;
        }

        return false;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a period (YYYY, YYYY-Qn or YYYY-MM).");

    public DateOnly FirstDay => new(Year, FirstMonth, 1);

    public DateOnly LastDay => new(Year, LastMonth, DateTime.DaysInMonth(Year, LastMonth));

    public int FirstMonth => Kind switch
    {
        PeriodKind.Month => Index,
        PeriodKind.Quarter => ((Index - 1) * 3) + 1,
        _ => 1,
    };

    public int LastMonth => Kind switch
    {
        PeriodKind.Month => Index,
        PeriodKind.Quarter => Index * 3,
        _ => 12,
    };

    /// <summary>The calendar months the period covers, in order.</summary>
    public IReadOnlyList<Period> Months()
    {
        var year = Year;
        return Enumerable.Range(FirstMonth, LastMonth - FirstMonth + 1).Select(m => OfMonth(year, m)).ToArray();
    }

    public bool Contains(Period other) =>
        other.Year == Year && other.FirstMonth >= FirstMonth && other.LastMonth <= LastMonth;

    /// <summary>The period of the same kind and position in another year (2024-Q3 → 2020-Q3).</summary>
    public Period InYear(int year) => new(Kind, year, Index);

    /// <summary>Whole months from the given year and month to the last month of this period.</summary>
    public int MonthsAfter(int fromYear, int fromMonth) => ((Year - fromYear) * 12) + (LastMonth - fromMonth);

    public int CompareTo(Period other)
    {
        var byStart = (Year, FirstMonth).CompareTo((other.Year, other.FirstMonth));
        return byStart != 0 ? byStart : other.Kind.CompareTo(Kind);
    }

    public override string ToString() => Kind switch
    {
        PeriodKind.Year => Year.ToString("D4", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Index}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Index:D2}"),
    };

    public static bool operator <(Period left, Period right) => left.CompareTo(right) < 0;

    public static bool operator >(Period left, Period right) => left.CompareTo(right) > 0;

    public static bool operator <=(Period left, Period right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Period left, Period right) => left.CompareTo(right) >= 0;
}
