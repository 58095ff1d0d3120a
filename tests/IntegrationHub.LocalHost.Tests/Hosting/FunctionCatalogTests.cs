using System.Text.Json;
using IntegrationHub.Functions;
using IntegrationHub.LocalHost;

namespace IntegrationHub.LocalHost.Tests.Hosting;

public sealed class FunctionCatalogTests
{
    private static readonly IReadOnlyList<FunctionDescriptor> Discovered = FunctionCatalog.Discover(typeof(HubServiceCollectionExtensions).Assembly);

    [Fact]
    public void Discover_FunctionsApp_FindsExactlyWhatTheFunctionsBuildListsInFunctionsMetadata()
    {
        // functions.metadata is what the real Functions host indexes; the local host must run the same set, no more, no less.
        var configuration =
            AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var metadata = Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions", "bin", configuration, "net10.0", "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllBytes(metadata));
        var fromBuild = document.RootElement.EnumerateArray()
            .Select(f =>
                (Name: f.GetProperty("name").GetString()!,
                Trigger: f.GetProperty("bindings").EnumerateArray()
                .First(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).GetProperty("type").GetString()!))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var fromCatalog = Discovered
            .Select(f => (f.Name, Trigger: f.Trigger switch
            {
                TriggerKind.Http => "httpTrigger",
                TriggerKind.Timer => "timerTrigger",
                TriggerKind.Orchestration => "orchestrationTrigger",
                _ => "activityTrigger",
            }))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(fromBuild, fromCatalog);
    }

    [Fact]
    public void Discover_FunctionsApp_FindsTheFlowsOfTheHub()
    {
        var names = Discovered.Select(f => f.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "PushFeed", "GetFeedStatus", "ProcessFeed", "PullFeed", "ConsolidatePeriod", "StartPull",
            "PullStatisticsOnSchedule", "GetDataset", "Health" }, names);
        Assert.All(Discovered.Where(f => f.Trigger == TriggerKind.Orchestration), f => Assert.True(f.Method.IsStatic, $"{f.Name} must be static"));
    }
}
