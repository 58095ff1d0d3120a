using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace IntegrationHub.Benchmarks;

/// <summary>What every benchmark reports: medians, allocations, records per second and per-record memory, GitHub tables.</summary>
public sealed class HubConfig : ManualConfig
{
    public HubConfig()
    {
        AddLogger(ConsoleLogger.Default);
        AddColumnProvider(DefaultColumnProviders.Descriptor, DefaultColumnProviders.Job, DefaultColumnProviders.Params, DefaultColumnProviders.Metrics);
        AddColumn(StatisticColumn.Mean, StatisticColumn.StdDev, StatisticColumn.Median, BaselineRatioColumn.RatioMean);
        AddColumn(new RecordsPerSecondColumn(), new PeerThroughputColumn(), new AllocatedPerRecordColumn());
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(MarkdownExporter.GitHub);
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value).WithMaxParameterColumnWidth(32));

        // BenchmarkDotNet builds a project per job; on a busy two-core machine that takes longer than its default two minutes.
        WithBuildTimeout(TimeSpan.FromMinutes(10));
    }
}

/// <summary>
/// Few, short iterations: the whole suite has to finish in minutes on two cores. Medians over five iterations
/// after two warm-ups; each iteration runs at least a quarter of a second of operations.
/// </summary>
/// <remarks>
/// Tiered compilation is off: methods are compiled optimised at once. With it on, a short benchmark on a busy
/// machine was measured while the background compiler had not yet optimised JsonSchema.Net's code (a 50-record
/// feed took four times as long as with tiering off); the steady state of a running host is optimised code.
/// </remarks>
public sealed class ShortJobConfig : ManualConfig
{
    public static Job Short { get; } = Job.Default
        .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(250))
        .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredCompilation", "0"))
        .WithId("Short");

    public ShortJobConfig() => AddJob(Short);
}

/// <summary>The same short job under the workstation GC (the default, concurrent) and under the server GC.</summary>
public sealed class GcModesConfig : ManualConfig
{
    public GcModesConfig()
    {
        AddJob(ShortJobConfig.Short.WithGcServer(false).WithId("WorkstationGC"));
        AddJob(ShortJobConfig.Short.WithGcServer(true).WithId("ServerGC"));
    }
}
