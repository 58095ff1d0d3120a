using DurableTask.Core;
using DurableTask.Core.History;
using IntegrationHub.Functions.Durable;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.LocalHost.Tests.Durable;

/// <summary>
/// What ops read from the events the Durable client's history call answers (DurableTask.Core events, as the client
/// makes them from the gRPC history stream: a failure's type and message are empty strings when the engine had none).
/// </summary>
public sealed class TaskHubHistoryTests
{
    private static readonly DateTime At = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    [Fact]
    public void Records_PullFailedAfterARetry_TaskResultsNamedAndFailuresKeptWithTheirCause()
    {
        var records = TaskHubHistory.Records(Timed(
            new ExecutionStartedEvent(-1, "{}") { Name = "PullFeed" },
            new TaskScheduledEvent(0, "FetchFeed", null, "{}"),
            new TaskFailedEvent(-1, 0, null, null, new FailureDetails("System.Net.Http.HttpRequestException", "status 500", "at FetchFeed", null, false)),
            new TaskScheduledEvent(1, "FetchFeed", null, "{}"),
            new TaskFailedEvent(-1, 1, null, null, new FailureDetails(
                "IntegrationHub.PullFailedException", "transport answered 500 for 2024-06", "at FetchFeed",
                new FailureDetails("System.Net.Http.HttpRequestException", "status 500", "at HttpClient", null, false), false)),
            new ExecutionCompletedEvent(2, null, OrchestrationStatus.Failed, new FailureDetails(
                "Microsoft.DurableTask.TaskFailedException", "Task 'FetchFeed' (#1) failed", "at PullFeed", null, false))));

        Assert.Equal(
            [("ExecutionStarted", "PullFeed"), ("TaskScheduled", "FetchFeed"), ("TaskFailed", "FetchFeed"),
                ("TaskScheduled", "FetchFeed"), ("TaskFailed", "FetchFeed"), ("ExecutionCompleted", null)],
            records.Select(r => (r.View.Type, r.View.Name)));
        Assert.Equal([null, null, 0, null, 1, null], records.Select(r => r.View.TaskScheduledId));
        Assert.All(records, r => Assert.Equal(new DateTimeOffset(At), r.View.Timestamp));

        // A failed task's summary is its root cause; the failure keeps the activity's own words and what they wrap.
        var failed = records[4];
        Assert.Equal("status 500", failed.View.Detail);
        Assert.Equal(("IntegrationHub.PullFailedException", "transport answered 500 for 2024-06", "at FetchFeed"),
            (failed.Failure!.Type, failed.Failure.Message, failed.Failure.StackTrace));
        Assert.Equal(("System.Net.Http.HttpRequestException", "status 500"), (failed.Failure.Inner!.Type, failed.Failure.Inner.Message));

        var completed = records[5];
        Assert.Equal(("Failed", "Failed: Task 'FetchFeed' (#1) failed"), (completed.OrchestrationStatus, completed.View.Detail));
        Assert.Equal("Microsoft.DurableTask.TaskFailedException", completed.Failure!.Type);

        // Read together as the instance view does: the activity, its attempts in a row, and its own failure.
        var failure = InstanceReading.Failure(new OrchestrationMetadata("PullFeed",
            "pull:transport:2024-06") { RuntimeStatus = OrchestrationRuntimeStatus.Failed }, records)!;
        Assert.Equal(("FetchFeed", 2, "IntegrationHub.PullFailedException"), (failure.Activity, failure.Attempts, failure.Type));
        Assert.Equal("transport answered 500 for 2024-06 (caused by System.Net.Http.HttpRequestException: status 500)", failure.Message);
        Assert.Equal("Task 'FetchFeed' (#1) failed", failure.Summary);
    }

    [Fact]
    public void Records_FailureWithEmptyTypeOrOnlyReasonAndDetails_ReadAsMessageAndStack()
    {
        var records = TaskHubHistory.Records(Timed(
            new TaskScheduledEvent(0, "NormaliseFeed", null, "{}"),
            new TaskFailedEvent(-1, 0, null, null, new FailureDetails("", "lease held", null, null, false)),
            new TaskFailedEvent(-1, 0, "lease held again", "at NormaliseFeed", null)));

        Assert.Equal((null, "lease held", null), (records[1].Failure!.Type, records[1].Failure!.Message, records[1].Failure!.StackTrace));
        Assert.Equal((null, "lease held again", "at NormaliseFeed"), (records[2].Failure!.Type, records[2].Failure!.Message, records[2].Failure!.StackTrace));
        Assert.Equal(["NormaliseFeed", "NormaliseFeed"], records.Skip(1).Select(r => r.View.Name));
    }

    [Fact]
    public void Records_EventsWithSomethingToSay_SummarisedByWhatTheySaid()
    {
        var fireAt = new DateTime(2025, 3, 4, 6, 0, 0, DateTimeKind.Utc);
        var records = TaskHubHistory.Records(Timed(
            new SubOrchestrationInstanceCreatedEvent(0) { Name = "ConsolidatePeriod", InstanceId = "consolidate:2024-Q2" },
            new SubOrchestrationInstanceCompletedEvent(-1, 0, "{}"),
            new TimerCreatedEvent(1, fireAt),
            new EventRaisedEvent(-1, "\"2024-Q2/v6\"") { Name = "included" },
            new ExecutionSuspendedEvent(-1, "looking into it"),
            new ExecutionTerminatedEvent(-1, "\"Terminated by ops.\""),
            new ExecutionCompletedEvent(2, new string('r', 600), OrchestrationStatus.Terminated, null)));

        Assert.Equal(("SubOrchestrationInstanceCompleted", "ConsolidatePeriod", 0),
            (records[1].View.Type, records[1].View.Name, records[1].View.TaskScheduledId));
        Assert.Equal("2025-03-04T06:00:00.0000000Z", records[2].View.Detail);
        Assert.Equal(("included", "\"2024-Q2/v6\""), (records[3].View.Name, records[3].View.Detail));
        Assert.Equal("looking into it", records[4].View.Detail);
        Assert.Equal("\"Terminated by ops.\"", records[5].View.Detail);
        Assert.Equal(501, records[6].View.Detail!.Length);
        Assert.StartsWith("Terminated: rrr", records[6].View.Detail, StringComparison.Ordinal);
        Assert.Null(records[6].Failure);
    }

    private static HistoryEvent[] Timed(params HistoryEvent[] events)
    {
        foreach (var e in events)
        {
            e.Timestamp = At;
        }

        return events;
    }
}
