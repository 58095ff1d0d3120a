using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>
/// The hub with every orchestration checkpoint failing once, after its messages went out and before its history is
/// written: the storage fault that once handed the old ProcessFeed loop a null (docs/reliability.md).
/// </summary>
public sealed class EveryCheckpointFailsOnceHub : EndToEndHub
{
    public EveryHistoryWriteFailsOnce Fault { get; } = new();

    protected override HttpPipelinePolicy? TaskHubTableFault => Fault;
}

/// <summary>
/// Each episode of every run (ProcessFeed, ConsolidatePeriod) runs twice, the second time later, with the first
/// run's steps already started. The app's orchestrators choose their next step from recorded results only, so both
/// runs schedule the same step under each task id, and an escaped step's answer is a valid answer to it.
/// </summary>
public sealed class CheckpointFaultEndToEndTests(EveryCheckpointFailsOnceHub hub, ITestOutputHelper output) : IClassFixture<EveryCheckpointFailsOnceHub>
{
    // Two months of one quarter: each feeds 2025-Q1 and 2025, so both consolidations run with feeds arriving together.
    private static readonly string[] Feeds = ["environment-2025-01-r0.json", "environment-2025-02-r0.json", "statistics-2025-Q1-r0.json"];

    [Fact]
    public async Task EveryCheckpointFailsOnceAfterItsStepsWentOut_EveryRunCompletesAndEveryFeedIsConsolidated()
    {
        var api = hub.Api;
        var accepted = new List<string>();
        foreach (var name in Feeds)
        {
            accepted.Add(await api.PushAcceptedAsync(name));
        }

        var final = await api.WaitUntilQuietAsync(TimeSpan.FromSeconds(240));
        output.WriteLine($"{hub.Fault.Failed} history write(s) failed once; {final.Count} runs");

        Assert.True(final.All(i => i.Status == "Completed"),
            "Every run should complete: " + string.Join("; ", final.Where(i => i.Status != "Completed")) + Environment.NewLine + await api.DiagnosticsAsync());
        // Three ProcessFeed runs and at least one run per consolidation, each of two episodes or more.
        Assert.True(hub.Fault.Failed >= 10, $"Only {hub.Fault.Failed} checkpoint(s) failed: the fault did not reach every run.");
        foreach (var feedId in accepted)
        {
            var status = await api.FeedStatusAsync(feedId);
            Assert.True(status.Status == 200 && status.Json.GetProperty("state").GetString() == "Consolidated", $"{feedId}: {status}");
        }

        var quarter = (await api.DatasetAsync("2025-Q1"))!.Value;
        Assert.Equal(accepted.Order(), PublishedDatasets.InputsOf(quarter).Order());
        var year = (await api.DatasetAsync("2025"))!.Value;
        Assert.Equal(accepted.Where(id => !id.StartsWith("statistics-", StringComparison.Ordinal)).Order(), PublishedDatasets.InputsOf(year).Order());
    }
}

/// <summary>
/// Fails each history write of the task hub (a table batch) the first time its rows are written, as storage going away
/// between an episode's queue messages and its history would; the same rows written again, by the episode's second
/// run, go through.
/// </summary>
public sealed partial class EveryHistoryWriteFailsOnce : HttpPipelineSynchronousPolicy
{
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private int failed;

    public int Failed => Volatile.Read(ref failed);

    public override void OnSendingRequest(HttpMessage message)
    {
        if (!message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) || message.Request.Content is not { } content)
        {
            return;
        }

        using var body = new MemoryStream();
        content.WriteTo(body, CancellationToken.None);
        var rows = RowKeys().Matches(Encoding.UTF8.GetString(body.ToArray())).Select(m => m.Value).Order(StringComparer.Ordinal).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        lock (seen)
        {
            if (!seen.Add(string.Join('|', rows)))
            {
                return;
            }
        }

        Interlocked.Increment(ref failed);
        throw new RequestFailedException(503, "Injected: the table service went away before the episode's history was written.");
    }

    // The rows' keys, as JSON properties (inserts) or in the entity's address (updates).
    [GeneratedRegex("\"(PartitionKey|RowKey)\":\"[^\"]*\"|(PartitionKey|RowKey)='[^']*'")]
    private static partial Regex RowKeys();
}
