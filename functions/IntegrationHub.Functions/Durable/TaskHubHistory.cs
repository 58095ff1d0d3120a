using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.History;
using Grpc.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Durable;

/// <summary>A failure as the engine recorded it (type, message, stack), with the failure that caused it.</summary>
public sealed record RecordedFailure(string? Type, string? Message, string? StackTrace, RecordedFailure? Inner)
{
    /// <summary>The innermost cause.</summary>
    public RecordedFailure Root => Inner?.Root ?? this;
}

/// <summary>One event of an instance's history, in order.</summary>
public sealed record HistoryEventView(int? EventId, string Type, string? Name, DateTimeOffset? Timestamp, int? TaskScheduledId, string? Detail);

/// <summary>One history event with what ops read from it beyond its summary.</summary>
public sealed record HistoryRecord(HistoryEventView View, RecordedFailure? Failure, string? OrchestrationStatus);

/// <summary>An instance's history, and where it came from (or why there is none).</summary>
public sealed record InstanceHistory(IReadOnlyList<HistoryRecord> Events, string Source);

/// <summary>
/// An instance's history through the Durable client, with each event's summary, recorded failure and completion
/// status: the engine's answer for a failed instance often lacks its failure details; its history has them.
/// </summary>
public sealed partial class TaskHubHistory(ILogger<TaskHubHistory> logger)
{
    public const string ClientSource = "Durable client history";

    private const int DetailLength = 500;

    public async Task<InstanceHistory> ReadAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        IList<HistoryEvent> events;
        try
        {
            events = await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or InvalidOperationException
            || ex is RpcException { StatusCode: not StatusCode.Cancelled })
        {
            // The instance view stays useful without its history (status, failure summary, feeds): say why it is empty.
            LogUnreadable(logger, ex, instanceId);
            return new InstanceHistory([], $"unavailable: the Durable client could not read the history ({ex.GetType().Name}: {ex.Message})");
        }

        return new InstanceHistory(Records(events), ClientSource);
    }

    public static IReadOnlyList<HistoryRecord> Records(IEnumerable<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return NameTaskResults([.. events.Select(ToRecord)]);
    }

    // A task's completion or failure has no name of its own: it takes that of the task it answers.
    private static List<HistoryRecord> NameTaskResults(List<HistoryRecord> records)
    {
        var scheduled = new Dictionary<int, string>();
        for (var i = 0; i < records.Count; i++)
        {
            var view = records[i].View;
            if (view.Type is "TaskScheduled" or "SubOrchestrationInstanceCreated" && view.EventId is { } id && view.Name is { } name)
            {
                scheduled[id] = name;
            }
            else if (view.Name is null && view.TaskScheduledId is { } answered && scheduled.TryGetValue(answered, out var task))
            {
                records[i] = records[i] with { View = view with { Name = task } };
            }
        }

        return records;
    }

    private static HistoryRecord ToRecord(HistoryEvent e)
    {
        var failure = e switch
        {
            TaskFailedEvent failed => Failure(failed.FailureDetails) ?? Failure(failed.Reason, failed.Details),
            SubOrchestrationInstanceFailedEvent failed => Failure(failed.FailureDetails) ?? Failure(failed.Reason, failed.Details),
            ExecutionCompletedEvent completed => Failure(completed.FailureDetails),
            _ => null,
        };

        var status = (e as ExecutionCompletedEvent)?.OrchestrationStatus.ToString();
        var detail = e switch
        {
            TaskFailedEvent or SubOrchestrationInstanceFailedEvent => failure?.Root.Message,
            ExecutionCompletedEvent completed => Join(status, failure?.Message ?? completed.Result),
            ExecutionTerminatedEvent terminated => terminated.Input,
            ExecutionSuspendedEvent suspended => suspended.Reason,
            ExecutionResumedEvent resumed => resumed.Reason,
            TimerCreatedEvent timer => Utc(timer.FireAt).ToString("O", CultureInfo.InvariantCulture),
            TimerFiredEvent timer => Utc(timer.FireAt).ToString("O", CultureInfo.InvariantCulture),
            GenericEvent generic => generic.Data,
            // What the event said: for "included", the data-set version that took the feed in.
            EventRaisedEvent raised => raised.Input ?? raised.Name,
            EventSentEvent sent => sent.Input ?? sent.Name,
            _ => null,
        };

        var name = e switch
        {
            ExecutionStartedEvent started => started.Name,
            TaskScheduledEvent scheduled => scheduled.Name,
            SubOrchestrationInstanceCreatedEvent created => created.Name,
            EventRaisedEvent raised => raised.Name,
            EventSentEvent sent => sent.Name,
            _ => null,
        };

        var taskScheduledId = e switch
        {
            TaskCompletedEvent completed => completed.TaskScheduledId,
            TaskFailedEvent failed => failed.TaskScheduledId,
            SubOrchestrationInstanceCompletedEvent completed => completed.TaskScheduledId,
            SubOrchestrationInstanceFailedEvent failed => failed.TaskScheduledId,
            _ => (int?)null,
        };

        var view = new HistoryEventView(
            e.EventId,
            e.EventType.ToString(),
            name,
            e.Timestamp == default ? null : new DateTimeOffset(Utc(e.Timestamp)),
            taskScheduledId,
            detail is { Length: > DetailLength } ? detail[..DetailLength] + "…" : detail);
        return new HistoryRecord(view, failure, status);
    }

    private static string? Join(string? first, string? second) =>
        (first, second) switch
        {
            (null or "", _) => second,
            (_, null or "") => first,
            _ => $"{first}: {second}",
        };

    // The wire format has no null: an empty type or message is none.
    private static RecordedFailure? Failure(FailureDetails? details) =>
        details is null ? null : new RecordedFailure(NullIfEmpty(details.ErrorType), NullIfEmpty(details.ErrorMessage),
            NullIfEmpty(details.StackTrace), Failure(details.InnerFailure));

    // An engine that keeps no failure details still keeps a failed task's reason and details.
    private static RecordedFailure? Failure(string? reason, string? details) =>
        string.IsNullOrEmpty(reason) && string.IsNullOrEmpty(details) ? null : new RecordedFailure(null, NullIfEmpty(reason), NullIfEmpty(details), null);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The history of {InstanceId} could not be read through the Durable client")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string instanceId);
}
