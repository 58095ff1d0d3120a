using System.Globalization;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Consolidation;

/// <summary>Progress against the plan's targets (feed-contract.md, "Targets"), from the targets reference file.</summary>
internal static class TargetEvaluator
{
    /// <summary>The plan's linear paths start from the 2020 base year's last month.</summary>
    private const int PathStartYear = 2020;
    private const int PathStartMonth = 12;

    public static TargetStatus Evaluate(
        TargetDefinition target, Period period, double? actual, double? value2020, List<DatasetWarning> warnings)
    {
        double? baseline = target.Baseline switch
        {
            "zero" => 0,
            "value-2020" => value2020,
            _ => null,
        };
        var threshold = target.ThresholdFrom2020 ? value2020 : target.Threshold;
        var deadline = DateOnly.ParseExact(target.Deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        double? required = null;
        if (baseline is not null && threshold is not null)
        {
            var m = period.MonthsAfter(PathStartYear, PathStartMonth);
            var total = ((deadline.Year - PathStartYear) * 12) + (deadline.Month - PathStartMonth);
            // Periods inside 2020 sit before the path starts; the contract's min(1, m/M) is clamped at 0 for them.
            var progress = Math.Clamp((double)m / total, 0, 1);
            required = baseline + ((threshold - baseline) * progress);
        }

        string status;
        if (actual is null)
        {
            status = "no-data";
        }
        else if (threshold is null)
        {
            status = "no-data";
            warnings.Add(new DatasetWarning("target-threshold-unknown",
                $"Target {target.Id} compares with the 2020 value of {target.Indicator}, which is not available; its status cannot be judged.", target.Area, target.Indicator, null));
        }
        else if (Satisfies(actual.Value, target.Comparator, threshold.Value))
        {
            status = "met";
        }
        else if (required is not null)
        {
            status = Satisfies(actual.Value, target.Comparator, required.Value) ? "on-track" : "off-track";
        }
        else
        {
            status = "off-track";
            if (target.Baseline == "value-2020")
            {
                warnings.Add(new DatasetWarning("target-baseline-unknown",
                    $"Target {target.Id} has no 2020 value of {target.Indicator}, so no path; reported off-track until it is met.", target.Area, target.Indicator, null));
            }
        }

        return new TargetStatus(target.Id, target.Description, target.Indicator, target.Comparator, threshold, target.Deadline, baseline, required, actual, status);
    }

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
