using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.WellKnownTypes;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using P = Microsoft.DurableTask.Protobuf;

namespace IntegrationHub.LocalHost;

/// <summary>
/// An instance's history as the Azure Storage backend hands it out, made into the protobuf events of the gRPC history
/// stream (what the Durable extension answers under the Functions host).
/// </summary>
internal static class StoredHistory
{
    /// <summary>A chunk of the stream stays well under gRPC's default 4 MB message limit.</summary>
    public const int MaxChunkBytes = 256 * 1024;

    private static readonly JsonSerializer Serializer = JsonSerializer.Create();

    /// <summary>
    /// The backend's history JSON (<c>GetOrchestrationHistoryAsync</c>: a plain Newtonsoft array, each event with its
    /// numeric <c>EventType</c> and no type names), read back into its DurableTask.Core event types.
    /// </summary>
    public static IReadOnlyList<HistoryEvent> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (JToken.Parse(json) is not JArray events)
        {
            return [];
        }

        var history = new List<HistoryEvent>(events.Count);
        foreach (var item in events.OfType<JObject>())
        {
            var type = (EventType)(item["EventType"]?.Value<int>() ?? throw new JsonSerializationException("A stored history event has no EventType."));
            if (type == EventType.ExecutionRewound)
            {
                // Its constructors leave Newtonsoft no way to build it: build it, then fill in what was stored.
                var rewound = new ExecutionRewoundEvent(item["EventId"]?.Value<int>() ?? -1);
                Serializer.Populate(item.CreateReader(), rewound);
                history.Add(rewound);
                continue;
            }

            history.Add((HistoryEvent)item.ToObject(ClrType(type), Serializer)!);
        }

        return history;
    }

    /// <summary>
    /// One event as the stream carries it. The in-process test host's converter does most of it; what it leaves out
    /// (it is written for work items, not for reading history) is added here: a completed execution's status and
    /// failure, a failed task's failure when the backend kept only its reason and details, and rewind events.
    /// </summary>
    public static P.HistoryEvent ToProto(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Protobuf timestamps must be UTC; the backend's may come back without a kind.
        e.Timestamp = Utc(e.Timestamp);
        switch (e)
        {
            case ExecutionRewoundEvent rewound:
                return new P.HistoryEvent
                {
                    EventId = e.EventId,
                    Timestamp = Timestamp.FromDateTime(e.Timestamp),
                    ExecutionRewound = new P.ExecutionRewoundEvent { Reason = rewound.Reason },
                };
            case TimerCreatedEvent created:
                created.FireAt = Utc(created.FireAt);
                break;
            case TimerFiredEvent fired:
                fired.FireAt = Utc(fired.FireAt);
                break;
        }

        var proto = ProtobufUtils.ToHistoryEventProto(e);
        switch (e)
        {
            case ExecutionCompletedEvent completed:
                proto.ExecutionCompleted.OrchestrationStatus = (P.OrchestrationStatus)completed.OrchestrationStatus;
                proto.ExecutionCompleted.FailureDetails = Failure(completed.FailureDetails);
                break;
            case TaskFailedEvent failed:
                proto.TaskFailed.FailureDetails ??= Failure(failed.Reason, failed.Details);
                break;
            case SubOrchestrationInstanceFailedEvent failed:
                proto.SubOrchestrationInstanceFailed.FailureDetails ??= Failure(failed.Reason, failed.Details);
                break;
        }

        return proto;
    }

    /// <summary>The events in stream chunks of at most <see cref="MaxChunkBytes"/> (a larger event travels alone).</summary>
    public static IEnumerable<P.HistoryChunk> Chunks(IEnumerable<P.HistoryEvent> events, int maxChunkBytes = MaxChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(events);
        var chunk = new P.HistoryChunk();
        var size = 0;
        foreach (var e in events)
        {
            var eventSize = e.CalculateSize();
            if (size > 0 && size + eventSize > maxChunkBytes)
            {
                yield return chunk;
                chunk = new P.HistoryChunk();
                size = 0;
            }

            chunk.Events.Add(e);
            size += eventSize;
        }

        if (chunk.Events.Count > 0)
        {
            yield return chunk;
        }
    }

    // The test host's own failure converter is internal. Properties are left out: nothing reads them from history.
    internal static P.TaskFailureDetails? Failure(FailureDetails? failure) =>
        failure is null ? null : new P.TaskFailureDetails
        {
            ErrorType = failure.ErrorType ?? "",
            ErrorMessage = failure.ErrorMessage ?? "",
            StackTrace = failure.StackTrace,
            InnerFailure = Failure(failure.InnerFailure),
            IsNonRetriable = failure.IsNonRetriable,
        };

    private static P.TaskFailureDetails? Failure(string? reason, string? details) =>
        string.IsNullOrEmpty(reason) && string.IsNullOrEmpty(details) ? null : new P.TaskFailureDetails { ErrorMessage = reason ?? "", StackTrace = details };

    private static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    private static System.Type ClrType(EventType type) => type switch
    {
        EventType.ExecutionStarted => typeof(ExecutionStartedEvent),
        EventType.ExecutionCompleted or EventType.ExecutionFailed => typeof(ExecutionCompletedEvent),
        EventType.ExecutionTerminated => typeof(ExecutionTerminatedEvent),
        EventType.ExecutionSuspended => typeof(ExecutionSuspendedEvent),
        EventType.ExecutionResumed => typeof(ExecutionResumedEvent),
        EventType.ContinueAsNew => typeof(ContinueAsNewEvent),
        EventType.TaskScheduled => typeof(TaskScheduledEvent),
        EventType.TaskCompleted => typeof(TaskCompletedEvent),
        EventType.TaskFailed => typeof(TaskFailedEvent),
        EventType.SubOrchestrationInstanceCreated => typeof(SubOrchestrationInstanceCreatedEvent),
        EventType.SubOrchestrationInstanceCompleted => typeof(SubOrchestrationInstanceCompletedEvent),
        EventType.SubOrchestrationInstanceFailed => typeof(SubOrchestrationInstanceFailedEvent),
        EventType.TimerCreated => typeof(TimerCreatedEvent),
        EventType.TimerFired => typeof(TimerFiredEvent),
        EventType.OrchestratorStarted => typeof(OrchestratorStartedEvent),
        EventType.OrchestratorCompleted => typeof(OrchestratorCompletedEvent),
        EventType.EventSent => typeof(EventSentEvent),
        EventType.EventRaised => typeof(EventRaisedEvent),
        EventType.GenericEvent => typeof(GenericEvent),
        EventType.HistoryState => typeof(HistoryStateEvent),
        _ => throw new NotSupportedException($"The stored history holds an event of unknown type {type}."),
    };
}
