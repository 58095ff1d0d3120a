using System.Globalization;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Consolidation;

// Progress against the plan's targets (feed-contract.md 2.0, "Targets"): linear paths on the period's own value,
// year-to-date early warnings against the previous year on quarters, the Changsha comparison or its proxy, and the
// non-fossil rule. Rules and thresholds come from the targets reference file.
internal sealed class TargetEvaluator(
    ReferenceData reference, Period period, DatasetBuilder.BuildContext context, IReadOnlyDictionary<string, Quantity> rootIndicators,
    List<string> missing, List<DatasetWarning> warnings)
{
    public const string AnnualPath = "annual-path";
    public const string YtdYoy = "ytd-yoy";
    public const string Proxy = "proxy";

    private const string GdpMeasure = "gdpConstant2020_10kCny";

    private int BaseYear => reference.Targets.BaseYear;

    public TargetStatus Evaluate(TargetDefinition target)
    {
        var indicator = target.FallbackIndicator is { } fallback && !rootIndicators.ContainsKey(target.Indicator) ? fallback : target.Indicator;
        var actual = rootIndicators.GetValueOrDefault(indicator)?.Value;
        var rule = period.Kind == PeriodKind.Year ? target.Annual : target.Quarterly;
        return rule switch
        {
            "path" => Path(target, indicator, target.Comparator, target.Threshold, actual, AnnualPath),
            "no-path" => NoPath(target, indicator, actual),
            "benchmark-or-proxy" => BenchmarkOrProxy(target, indicator, actual),
            "above-previous-and-base" => AbovePreviousAndBase(target, indicator, actual),
            "ytd-yoy" => EarlyWarning(target, indicator),
            "ytd-yoy-share" => ShareEarlyWarning(target, indicator),
            "not-assessed" => Status(target, indicator, null, target.Comparator, target.Threshold, null, null, null, "not-assessed"),
            _ => throw new InvalidDataException($"Unknown target rule '{rule}' of {target.Id} in the targets reference file."),
        };
    }

    // met when actual satisfies the comparator against threshold; else on-track against the linear path from the
    // baseline at the end of the base year to the threshold at the deadline; without a baseline, off-track.
    private TargetStatus Path(TargetDefinition target, string indicator, string comparator, double? threshold, double? actual, string basis)
    {
        double? baseline = target.Baseline switch
        {
            "zero" => 0,
            "base-year-value" => context.RootIndicator(period.InYear(BaseYear), indicator)?.Value,
            _ => null,
        };
        double? required = null;
        if (baseline is not null && threshold is not null)
        {
            var deadline = Deadline(target);
            var m = period.MonthsAfter(BaseYear, 12);
            var total = ((deadline.Year - BaseYear) * 12) + (deadline.Month - 12);
            // Periods inside the base year sit before the path starts; the contract's min(1, m/M) is clamped at 0 for them.
            var progress = Math.Clamp((double)m / total, 0, 1);
            required = baseline + ((threshold - baseline) * progress);
        }

        string status;
        if (actual is null || threshold is null)
        {
            status = "no-data";
        }
        else if (Satisfies(actual.Value, comparator, threshold.Value))
        {
            status = "met";
        }
        else if (required is not null)
        {
            status = Satisfies(actual.Value, comparator, required.Value) ? "on-track" : "off-track";
        }
        else
        {
            status = "off-track";
            warnings.Add(new DatasetWarning("target-baseline-unknown",
                $"Target {target.Id} has no {BaseYear} value of {indicator}, so no path; reported off-track until it is met.", target.Area, indicator, null));
        }

        return Status(target, indicator, basis, comparator, threshold, baseline, required, actual, status);
    }

    // Targets without a path (by definition): met or off-track on the period's value.
    private TargetStatus NoPath(TargetDefinition target, string indicator, double? actual)
    {
        var status = actual is null ? "no-data" : Satisfies(actual.Value, target.Comparator, target.Threshold!.Value) ? "met" : "off-track";
        return Status(target, indicator, AnnualPath, target.Comparator, target.Threshold, null, null, actual, status);
    }

    // Changsha's figure from the year's annual statistics feed when it came; else the proxy on its path.
    private TargetStatus BenchmarkOrProxy(TargetDefinition target, string indicator, double? actual)
    {
        var benchmark = context.Facts(period).Inputs.FirstOrDefault(f => f.Source == FeedSource.Statistics)?.ChangshaCarbonIntensityChangeVs2020Pct;
        if (benchmark is not null)
        {
            var status = actual is null ? "no-data" : Satisfies(actual.Value, target.Comparator, benchmark.Value) ? "met" : "off-track";
            return Status(target, indicator, AnnualPath, target.Comparator, benchmark, 0, benchmark, actual, status);
        }

        var proxy = target.Proxy ?? throw new InvalidDataException($"Target {target.Id} has no proxy for a year without benchmark.");
        return Path(target, indicator, proxy.Comparator, proxy.Threshold, actual, Proxy);
    }

    // non-fossil-rising on a year: above the previous year's value and above the base year's.
    private TargetStatus AbovePreviousAndBase(TargetDefinition target, string indicator, double? actual)
    {
        var previousYear = Period.OfYear(period.Year - 1);
        var previous = context.RootIndicator(previousYear, indicator)?.Value;
        NoteMissing(previousYear);
        var baseValue = context.RootIndicator(period.InYear(BaseYear), indicator)?.Value;
        var status = actual is null || previous is null || baseValue is null
            ? "no-data"
            : Satisfies(actual.Value, target.Comparator, previous.Value) && Satisfies(actual.Value, target.Comparator, baseValue.Value) ? "met" : "off-track";
        return Status(target, indicator, AnnualPath, target.Comparator, baseValue, baseValue, previous, actual, status);
    }

    // Early warning for quarter n of year y: ytdYoY = (Σ numerator / Σ GDP over quarters 1..n of y, over the same of y
    // − 1, − 1) × 100 against the annual rate the target needs, r = ((1 + T/100)^(1/N) − 1) × 100.
    private TargetStatus EarlyWarning(TargetDefinition target, string indicator)
    {
        var threshold = target.Threshold ?? target.Proxy?.Threshold
            ?? throw new InvalidDataException($"Target {target.Id} has neither threshold nor proxy for its early warning.");
        var numerator = target.YtdNumerator ?? throw new InvalidDataException($"Target {target.Id} has no ytdNumerator.");
        var years = Deadline(target).Year - BaseYear;
        var rate = (Math.Pow(1 + (threshold / 100), 1.0 / years) - 1) * 100;
        double? actual = null;
        if (YearToDate(period.Year, q => context.RootIndicator(q, numerator), q => context.RootMeasure(q, GdpMeasure)) is { } now
            && YearToDate(period.Year - 1, q => context.RootIndicator(q, numerator), q => context.RootMeasure(q, GdpMeasure)) is { } before
            && before != 0)
        {
            actual = ((now / before) - 1) * 100;
        }

        var status = actual is null ? "no-data" : actual <= rate ? "green" : actual <= 0 ? "amber" : "red";
        return Status(target, indicator, YtdYoy, "<=", threshold, null, rate, actual, status);
    }

    // non-fossil-rising on a quarter: the year-to-date share against the previous year's same year to date.
    private TargetStatus ShareEarlyWarning(TargetDefinition target, string indicator)
    {
        var now = YearToDate(period.Year, q => context.RootIndicator(q, "energy.nonFossilTce"), q => context.RootIndicator(q, "energy.totalTce"));
        var before = YearToDate(period.Year - 1, q => context.RootIndicator(q, "energy.nonFossilTce"), q => context.RootIndicator(q, "energy.totalTce"));
        double? actual = now * 100;
        double? required = before * 100;
        var status = actual is null || required is null ? "no-data" : Satisfies(actual.Value, target.Comparator, required.Value) ? "green" : "red";
        return Status(target, indicator, YtdYoy, target.Comparator, null, null, required, actual, status);
    }

    // Σ numerator / Σ denominator over quarters 1..n of year; null when a quarter lacks either, or when a statistics
    // quarter or a power-grid month those figures are built from is missing.
    private double? YearToDate(int year, Func<Period, Quantity?> numerator, Func<Period, Quantity?> denominator)
    {
        double sumNumerator = 0, sumDenominator = 0;
        var complete = true;
        for (var quarter = 1; quarter <= period.Index; quarter++)
        {
            var q = Period.OfQuarter(year, quarter);
            complete &= NoteMissing(q);
            if (numerator(q) is not { } n || denominator(q) is not { } d)
            {
                complete = false;
                continue;
            }

            sumNumerator += n.Value;
            sumDenominator += d.Value;
        }

        return complete && sumDenominator != 0 ? sumNumerator / sumDenominator : null;
    }

    // Lists the statistics and power-grid feeds a comparison period lacks; true when it lacks none.
    private bool NoteMissing(Period compared)
    {
        var lacking = context.Facts(compared).MissingFeeds
            .Where(m => m.StartsWith(FeedSource.Statistics + ":", StringComparison.Ordinal)
                || m.StartsWith(FeedSource.PowerGrid + ":", StringComparison.Ordinal))
            .ToArray();
        if (compared != period)
        {
            missing.AddRange(lacking);
        }

        return lacking.Length == 0;
    }

    private static DateOnly Deadline(TargetDefinition target) => DateOnly.ParseExact(target.Deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TargetStatus Status(
        TargetDefinition target, string indicator, string? basis, string comparator, double? threshold,
            double? baseline, double? required, double? actual, string status) =>
        new(target.Id, target.Description, indicator, target.Binding, basis, comparator, threshold, target.Deadline, baseline, required, actual, status);

    public static bool Satisfies(double actual, string comparator, double limit) => comparator switch
    {
        "<=" => actual <= limit,
        "<" => actual < limit,
        ">=" => actual >= limit,
        ">" => actual > limit,
        "=" => actual == limit,
        _ => throw new InvalidDataException($"Unknown comparator '{comparator}' in the targets reference file."),
    };
}
