using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Ops;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>
/// Faults from outside the hub and from inside its own data: a department API that hangs past its timeout or answers
/// an invalid feed, and a poison step that throws every time. Each ends in a state ops can see and act on, never in a
/// loop, and the reconciliation accounts for every feed. One hub for the class; each test works on periods of its own:
/// transport 2024-09 (hang), power-grid 2024-10 (invalid answer), environment 2024-11 and 2024-12 (poison).
/// </summary>
public sealed class PipelineFaultTests(EndToEndHub hub, ITestOutputHelper output) : IClassFixture<EndToEndHub>
{
    /// <summary>The fixture's <c>Pull:RetryMaxAttempts</c> and per-request timeout.</summary>
    private const int PullAttempts = 4;

    private HubApi Api => hub.Api;

    private OpsApi Ops => new(hub.Api);

    [Fact]
    public async Task Pull_DepartmentHangsPastItsTimeout_RetriedWithBackoffThenFailedThenReplayedToCompletion()
    {
        const string instanceId = "pull:transport:2024-09";
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("transport", "hang", null);
        InstanceState failed;
        SimulatorCounters counters;
        try
        {
            Assert.Equal(instanceId, await Api.StartPullAcceptedAsync("transport", "2024-09"));
            failed = await Api.WaitForInstanceAsync(instanceId);
            counters = await hub.Simulators.CountersAsync("transport");
        }
        finally
        {
            await hub.Simulators.ResetAsync();
        }

        Assert.True(failed.Status == "Failed", $"A pull whose department never answers should fail once its attempts are used up; {failed}");
        Assert.Equal(PullAttempts, counters.Hung);
        var detail = await Ops.InstanceAsync(instanceId);
        var failure = detail.GetProperty("failure");
        Assert.Equal("FetchFeed", failure.GetProperty("activity").GetString());
        Assert.Equal(PullAttempts, failure.GetProperty("attempts").GetInt32());
        Assert.Contains("did not answer within 5 s", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        output.WriteLine($"Hanging department: {PullAttempts} attempts, then Failed: {failure.GetProperty("message").GetString()}");

        var replay = await Ops.ActAsync(instanceId, "replay");
        Assert.True(replay.Status == 202, $"Replay should be accepted; got {replay}");
        var pull = await Api.WaitForInstanceAsync(instanceId);
        Assert.True(pull.Status == "Completed", $"The replayed pull should complete; {pull}");
        await Api.WaitForFeedConsolidatedAsync(SampleFeed.Latest("transport", "2024-09").FeedId);
    }

    [Fact]
    public async Task Pull_DepartmentAnswersAnInvalidFeed_LandedAndQuarantinedWithItsReportNotRetried()
    {
        const string instanceId = "pull:power-grid:2024-10";
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("power-grid", "invalid", null);
        InstanceState pull;
        SimulatorCounters counters;
        try
        {
            Assert.Equal(instanceId, await Api.StartPullAcceptedAsync("power-grid", "2024-10"));
            pull = await Api.WaitForInstanceAsync(instanceId);
            counters = await hub.Simulators.CountersAsync("power-grid");
        }
        finally
        {
            await hub.Simulators.ResetAsync();
        }

        // The department answered: nothing to retry. The feed is judged like a push and quarantined with its report.
        Assert.True(pull.Status == "Completed", $"The pull itself succeeds: the department answered; {pull}");
        Assert.Equal(1, counters.Total);
        // Judged in the fetch, as a push is: an invalid feed gets no run of its own.
        Assert.Equal("Quarantined", pull.OutputJson.Prop("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, pull.OutputJson.Prop("processingInstanceId").ValueKind);
        var quarantined = await Api.GetAsync("/api/ops/quarantine?source=power-grid", Keys.Ops);
        var feedId = quarantined.Json.GetProperty("feeds").EnumerateArray().Select(f => f.GetProperty("feedId").GetString()!)
            .Single(id => id.StartsWith("power-grid-2024-10-", StringComparison.Ordinal));
        var status = await Api.FeedStatusAsync(feedId);
        Assert.Equal("Quarantined", status.Json.GetProperty("state").GetString());
        var errors = status.Json.GetProperty("report").GetProperty("errors");
        Assert.True(
            errors.GetArrayLength() > 0 && errors[0].GetProperty("instanceLocation").GetString() is not null,
            $"The report should name the violations: {status}");

        var quarantine = await Api.GetAsync("/api/ops/quarantine?source=power-grid", Keys.Ops);
        Assert.Contains(feedId, quarantine.Body, StringComparison.Ordinal);

        // Ops see the run as what it means: the feed quarantined, with where and which rule, in the list and the detail.
        var processingId = instanceId;
        var listed = await Api.GetAsync($"/api/ops/instances?prefix={Uri.EscapeDataString(processingId)}", Keys.Ops);
        var summary = Assert.Single(listed.Json.GetProperty("instances").EnumerateArray()).GetProperty("quarantine");
        Assert.Equal(
            (feedId, "Quarantined", errors.GetArrayLength()),
            (summary.GetProperty("feedId").GetString(), summary.GetProperty("state").GetString(), summary.GetProperty("errors").GetInt32()));
        var firstIssue = summary.GetProperty("issues")[0];
        Assert.Equal((errors[0].GetProperty("instanceLocation").GetString(), errors[0].GetProperty("keyword").GetString()),
            (firstIssue.GetProperty("instanceLocation").GetString(), firstIssue.GetProperty("keyword").GetString()));
        var detail = await Api.GetAsync($"/api/ops/instances/{Uri.EscapeDataString(processingId)}", Keys.Ops);
        Assert.Equal(errors.GetArrayLength(), detail.Json.GetProperty("quarantine").GetProperty("issues").GetArrayLength());
        var row = (await Api.ReconcileAsync()).GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("period").GetString() == "2024-10" && r.GetProperty("source").GetString() == "power-grid");
        Assert.Equal((1, 1, 0), (row.GetProperty("landed").GetInt32(), row.GetProperty("quarantined").GetInt32(), row.GetProperty("lost").GetInt32()));
    }

    [Fact]
    public async Task Consolidation_PoisonStepThrowsEveryTime_FailsWithTheReasonAfterBoundedAttemptsThenRepairedAndReplayed()
    {
        var first = SampleFeed.Load("environment-2024-11-r0.json");
        Assert.Equal(first.FeedId, await Api.PushAcceptedAsync(first.Name));
        await Api.WaitForFeedConsolidatedAsync(first.FeedId);

        // The stored normalised feed is damaged: every consolidation of its data sets now throws when it reads it.
        var normalised = hub.Azurite.Blobs.GetBlobContainerClient("normalized").GetBlobClient($"{first.Source}/{first.Period}/{first.FeedId}.json");
        var good = (await normalised.DownloadContentAsync()).Value.Content;
        await normalised.UploadAsync(BinaryData.FromString("{\"feedId\": 42, truncated"), overwrite: true);

        var second = SampleFeed.Load("environment-2024-12-r0.json");
        Assert.Equal(second.FeedId, await Api.PushAcceptedAsync(second.Name));
        // The feed's own run ends once it is handed over; the data set that cannot be built is the consolidation's failure.
        var processing = await Api.WaitForInstanceAsync($"feed:environment:2024-12:{second.FeedId[^16..]}");
        Assert.True(processing.Status == "Completed", $"{processing}");
        Assert.Equal("Validated", (await Api.FeedStatusAsync(second.FeedId)).Json.GetProperty("state").GetString());

        var consolidation = await Api.WaitForInstanceAsync("consolidate:2024-Q4");
        Assert.True(consolidation.Status == "Failed", $"A step that throws every time must fail its run, not loop; {consolidation}");
        var detail = await Ops.InstanceAsync("consolidate:2024-Q4");
        var failure = detail.GetProperty("failure");
        Assert.True(failure.GetProperty("activity").GetString() == "BuildDataset", OpsApi.Describe(detail));
        Assert.True(
            failure.GetProperty("message")
            .GetString()!.Contains($"normalized/environment/2024-11/{first.FeedId}.json is unreadable", StringComparison.Ordinal), OpsApi.Describe(detail));
        // Storage faults are retried inside the Azure SDK; a step failing for its data fails the run at once.
        var attempts = failure.GetProperty("attempts").GetInt32();
        Assert.Equal(1, attempts);
        output.WriteLine($"Poison step: BuildDataset failed {attempts} time(s), then the run failed: {failure.GetProperty("message").GetString()}");

        // Repaired, the failed runs are replayed once each and the feed reaches its data sets.
        await normalised.UploadAsync(good, overwrite: true);
        var replayed = await Ops.ReplayFailedAsync(DateTimeOffset.UtcNow.AddHours(-1), "ConsolidatePeriod");
        Assert.True(replayed.Status == 200, $"{replayed}");
        await Api.WaitForFeedConsolidatedAsync(second.FeedId);
        Assert.Contains(second.FeedId, PublishedDatasets.InputsOf((await Api.DatasetAsync("2024-Q4"))!.Value));
    }
}
