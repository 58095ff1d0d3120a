using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;
using P = Microsoft.DurableTask.Protobuf;

namespace IntegrationHub.LocalHost.Tests.Hosting;

/// <summary>
/// The local sidecar's history stream: the Azure Storage backend's history JSON (a plain Newtonsoft array of
/// DurableTask.Core events, as its <c>GetOrchestrationHistoryAsync</c> writes it) made into protobuf history events.
/// </summary>
public sealed class StoredHistoryTests
{
    private static readonly DateTime At = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    [Fact]
    public void ToProto_FailedRunFromStoredJson_KeepsEveryFailureWithItsCauseAndTheFailedStatus()
    {
        var cause = new FailureDetails("System.Net.Sockets.SocketException", "Connection reset by peer", "at Socket.Receive", null, false);
        var events = Stored(
            new ExecutionStartedEvent(
                -1, "{}") { Name = "PullFeed",
                OrchestrationInstance = new OrchestrationInstance { InstanceId = "pull:transport:2024-06", ExecutionId = "e1" } },
            new TaskScheduledEvent(0, "FetchFeed", null, "{}"),
            new TaskFailedEvent(-1, 0, null, null, new FailureDetails(
                "System.Net.Http.HttpRequestException", "Response status code does not indicate success: 500", "at FetchFeed.RunAsync", cause, false)),
            new ExecutionCompletedEvent(1, null, OrchestrationStatus.Failed, new FailureDetails(
                "Microsoft.DurableTask.TaskFailedException", "Task 'FetchFeed' (#0) failed with an unhandled exception", "at PullFeed.RunAsync", null, false)));

        var protos = StoredHistory.Parse(events).Select(StoredHistory.ToProto).ToList();

        Assert.Equal(
            [P.HistoryEvent.EventTypeOneofCase.ExecutionStarted, P.HistoryEvent.EventTypeOneofCase.TaskScheduled,
                P.HistoryEvent.EventTypeOneofCase.TaskFailed, P.HistoryEvent.EventTypeOneofCase.ExecutionCompleted],
            protos.Select(p => p.EventTypeCase));
        Assert.Equal(("PullFeed", "pull:transport:2024-06"), (protos[0].ExecutionStarted.Name, protos[0].ExecutionStarted.OrchestrationInstance.InstanceId));
        Assert.Equal(("FetchFeed", 0), (protos[1].TaskScheduled.Name, protos[1].EventId));

        var failed = protos[2].TaskFailed;
        Assert.Equal(0, failed.TaskScheduledId);
        Assert.Equal(
            ("System.Net.Http.HttpRequestException", "Response status code does not indicate success: 500", "at FetchFeed.RunAsync"),
            (failed.FailureDetails.ErrorType, failed.FailureDetails.ErrorMessage, failed.FailureDetails.StackTrace));
        Assert.Equal(
            ("System.Net.Sockets.SocketException", "Connection reset by peer"),
            (failed.FailureDetails.InnerFailure.ErrorType, failed.FailureDetails.InnerFailure.ErrorMessage));

        // The test host's own converter reports every completion as Completed, without its failure.
        var completed = protos[3].ExecutionCompleted;
        Assert.Equal(P.OrchestrationStatus.Failed, completed.OrchestrationStatus);
        Assert.Equal(
            ("Microsoft.DurableTask.TaskFailedException", "Task 'FetchFeed' (#0) failed with an unhandled exception"),
            (completed.FailureDetails.ErrorType, completed.FailureDetails.ErrorMessage));
        Assert.All(protos, p => Assert.Equal(At, p.Timestamp.ToDateTime()));
    }

    [Fact]
    public void ToProto_FailuresKeptAsReasonAndDetailsOnly_BecomeFailureDetails()
    {
        var events = Stored(
            new TaskFailedEvent(-1, 2, "Blob lease held", "at NormaliseFeed"),
            new SubOrchestrationInstanceFailedEvent(-1, 3, "Child failed", "at Child"));

        var protos = StoredHistory.Parse(events).Select(StoredHistory.ToProto).ToList();

        Assert.Equal(
            ("Blob lease held", "at NormaliseFeed", 2),
            (protos[0].TaskFailed.FailureDetails.ErrorMessage, protos[0].TaskFailed.FailureDetails.StackTrace, protos[0].TaskFailed.TaskScheduledId));
        Assert.Equal(
            ("Child failed", "at Child", 3),
            (protos[1].SubOrchestrationInstanceFailed.FailureDetails.ErrorMessage, protos[1].SubOrchestrationInstanceFailed.FailureDetails.StackTrace,
            protos[1].SubOrchestrationInstanceFailed.TaskScheduledId));
    }

    [Fact]
    public void ToProto_CompletedRunWithTimerRaisedEventAndRewind_CarriesEachAsItsOwnType()
    {
        var fireAt = new DateTime(2025, 3, 4, 6, 0, 0, DateTimeKind.Unspecified);
        var events = Stored(
            new TimerCreatedEvent(4, fireAt),
            new EventRaisedEvent(-1, "\"2024-Q2/v6\"") { Name = "included" },
            new ExecutionRewoundEvent(-1, "lease released"),
            new ExecutionCompletedEvent(7, "{\"outcome\":\"Consolidated\"}", OrchestrationStatus.Completed, null));

        var protos = StoredHistory.Parse(events).Select(StoredHistory.ToProto).ToList();

        Assert.Equal(DateTime.SpecifyKind(fireAt, DateTimeKind.Utc), protos[0].TimerCreated.FireAt.ToDateTime());
        Assert.Equal(("included", "\"2024-Q2/v6\""), (protos[1].EventRaised.Name, protos[1].EventRaised.Input));
        Assert.Equal("lease released", protos[2].ExecutionRewound.Reason);
        Assert.Equal(
            (P.OrchestrationStatus.Completed, "{\"outcome\":\"Consolidated\"}"),
            (protos[3].ExecutionCompleted.OrchestrationStatus, protos[3].ExecutionCompleted.Result));
        Assert.Null(protos[3].ExecutionCompleted.FailureDetails);
    }

    [Fact]
    public void Chunks_EventsLargerTogetherThanAChunk_SplitInOrderWithNoneLost()
    {
        var events = Enumerable.Range(0, 10)
            .Select(i => new P.HistoryEvent { EventId = i, GenericEvent = new P.GenericEvent { Data = new string('x', 100) } }).ToList();

        var chunks = StoredHistory.Chunks(events, maxChunkBytes: 250).ToList();

        Assert.Equal(5, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(2, c.Events.Count));
        Assert.Equal(Enumerable.Range(0, 10), chunks.SelectMany(c => c.Events).Select(e => e.EventId));
    }

    /// <summary>The events as the backend writes them: Newtonsoft with default settings, timestamps without a kind.</summary>
    private static string Stored(params HistoryEvent[] events)
    {
        foreach (var e in events)
        {
            e.Timestamp = DateTime.SpecifyKind(At, DateTimeKind.Unspecified);
        }

        return JsonConvert.SerializeObject(events);
    }
}
