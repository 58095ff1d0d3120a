using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IntegrationHub.Benchmarks;

/// <summary>Benchmarks over a feed say so with a <see cref="FeedCase"/> parameter named <c>Case</c>.</summary>
internal static class CaseOf
{
    public static FeedCase? Feed(BenchmarkCase benchmark) =>
        benchmark.Parameters.Items.FirstOrDefault(p => p.Value is FeedCase)?.Value as FeedCase;

    public static double? MedianNs(Summary summary, BenchmarkCase benchmark) => summary[benchmark]?.ResultStatistics?.Median;
}

/// <summary>Records validated per second, from the median.</summary>
public sealed class RecordsPerSecondColumn : IColumn
{
    public string Id => nameof(RecordsPerSecondColumn);

    public string ColumnName => "Records/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Records of the feed divided by the median time of one check";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        CaseOf.Feed(benchmarkCase) is { } feed && CaseOf.MedianNs(summary, benchmarkCase) is { } median
            ? (feed.Records / (median / 1e9)).ToString("N0", CultureInfo.InvariantCulture)
            : "-";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => CaseOf.Feed(b) is not null);
}

/// <summary>
/// This validator's throughput divided by NJsonSchema's on the same feed and job (medians): above 1 it is faster
/// than the peer. The goal is the hub's value at or above 1 on valid feeds.
/// </summary>
public sealed class PeerThroughputColumn : IColumn
{
    public const string PeerMethod = "NJsonSchema";

    public string Id => nameof(PeerThroughputColumn);

    public string ColumnName => "vs NJsonSchema";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput relative to NJsonSchema on the same feed (its median time / this median time)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var peer = summary.BenchmarksCases.FirstOrDefault(b =>
            b.Descriptor.WorkloadMethod.Name == PeerMethod && b.Descriptor.Type == benchmarkCase.Descriptor.Type
            && b.Job.Id == benchmarkCase.Job.Id && b.Parameters.ValueInfo == benchmarkCase.Parameters.ValueInfo);
        return peer is not null && CaseOf.MedianNs(summary, peer) is { } peerMedian && CaseOf.MedianNs(summary, benchmarkCase) is { } median
            ? (peerMedian / median).ToString("0.00", CultureInfo.InvariantCulture)
            : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => b.Descriptor.WorkloadMethod.Name == PeerMethod);
}

/// <summary>Bytes allocated by one check divided by the feed's records.</summary>
public sealed class AllocatedPerRecordColumn : IColumn
{
    public string Id => nameof(AllocatedPerRecordColumn);

    public string ColumnName => "Alloc/record";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes allocated by one check divided by the feed's records";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (CaseOf.Feed(benchmarkCase) is not { } feed || report is null)
        {
            return "-";
        }

        var bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return bytes is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{bytes.Value / (double)feed.Records / 1024:N1} KB");
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => CaseOf.Feed(b) is not null);
}
