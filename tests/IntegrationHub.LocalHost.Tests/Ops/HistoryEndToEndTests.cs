using DurableTask.Core;
using DurableTask.Core.History;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Ops;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Ops;

/// <summary>
/// An instance's history read through the Durable client's own API (<c>GetOrchestrationHistoryAsync</c>, the gRPC
/// history stream) on the local host, as the app reads it under the Functions host: the local sidecar answers it from
/// the Azure Storage backend on a real Azurite.
/// </summary>
public sealed class HistoryEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    /// <summary>The fixture's <c>Pull:RetryMaxAttempts</c>.</summary>
    private const int PullAttempts = 4;

    [Fact]
    public async Task GetOrchestrationHistory_PullFailedOnEveryAttempt_ShowsTheFailingActivityWithItsFailureTypeAndMessage()
    {
        const string instanceId = "pull:transport:2024-09";
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("transport", "fail", null);
        try
        {
            Assert.Equal(instanceId, await hub.Api.StartPullAcceptedAsync("transport", "2024-09"));
            var failed = await hub.Api.WaitForInstanceAsync(instanceId);
            Assert.True(failed.Status == "Failed", $"The pull should fail when transport answers 500 every time; {failed}");
        }
        finally
        {
            await hub.Simulators.ResetAsync();
        }

        var history = await hub.Hub!.Client.GetOrchestrationHistoryAsync(instanceId);

        var scheduled = history.OfType<TaskScheduledEvent>().ToDictionary(e => e.EventId, e => e.Name);
        Assert.Equal(PullAttempts, scheduled.Values.Count(n => n == "FetchFeed"));
        var taskFailures = history.OfType<TaskFailedEvent>().ToList();
        Assert.Equal(PullAttempts, taskFailures.Count);
        Assert.All(taskFailures, f =>
        {
            Assert.Equal("FetchFeed", scheduled[f.TaskScheduledId]);
            Assert.NotNull(f.FailureDetails);
            Assert.Contains("HttpRequestException", f.FailureDetails.ErrorType, StringComparison.Ordinal);
            Assert.Contains("500", f.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        });

        // The run's own end: failed, saying which task failed. The in-process test host's dispatcher stores a failed
        // completion without failure details (its result holds the message); the Durable extension stores both.
        var completed = Assert.Single(history.OfType<ExecutionCompletedEvent>());
        Assert.Equal(OrchestrationStatus.Failed, completed.OrchestrationStatus);
        Assert.Contains("FetchFeed", completed.FailureDetails?.ErrorMessage ?? completed.Result, StringComparison.Ordinal);
        Assert.Equal("PullFeed", Assert.Single(history.OfType<ExecutionStartedEvent>()).Name);

        // The ops view is built on that same call.
        var detail = await new OpsApi(hub.Api).InstanceAsync(instanceId);
        Assert.Equal(TaskHubHistory.ClientSource, detail.GetProperty("historySource").GetString());
        Assert.Equal(PullAttempts, OpsApi.CountEvents(detail, "TaskFailed", "FetchFeed"));
    }

    [Fact]
    public async Task GetOrchestrationHistory_UnknownInstance_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => hub.Hub!.Client.GetOrchestrationHistoryAsync("pull:transport:1999-01"));
    }
}
