using System.ComponentModel;
using System.Text.Json;
using IntegrationHub.Core.Feeds;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Durable;

[Description("Why it failed: the root cause (the failed activity's exception when an activity failed).")]
public sealed record FailureView(
    string Message,
    [property: Description("The exception type.")] string? Type,
    string? StackTrace,
    [property: Description("The activity that failed.")] string? Activity,
    [property: Description("Its failed attempts in a row, retries included.")] int? Attempts,
    [property: Description("The orchestration's own failure message.")] string? Summary,
    DateTimeOffset? FailedAt);

/// <summary>A feed an instance is about: source, period and (a prefix of) its content hash once known.</summary>
public sealed record FeedKey(string Source, string Period, string? ContentHash);

/// <summary>What an instance is about and why it failed, read from its id, input, output and history.</summary>
public static class InstanceReading
{
    // Ids are deterministic: feed:{source}:{period}:{hash16} (full hash in the input), pull:{source}:{period}.
    public static IReadOnlyList<FeedKey> Feeds(string instanceId, string? serializedInput, string? serializedOutput)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var parts = instanceId.Split(':');
        if (instanceId.StartsWith(InstanceIds.FeedPrefix, StringComparison.Ordinal) && parts.Length == 4 && FeedSource.IsKnown(parts[1]))
        {
            var hash = Property(serializedInput, "contentHash") is { } full && full.StartsWith(parts[3], StringComparison.Ordinal) ? full : parts[3];
            return [new FeedKey(parts[1], parts[2], hash)];
        }

        if (instanceId.StartsWith(InstanceIds.PullPrefix, StringComparison.Ordinal) && parts.Length == 3 && FeedSource.IsKnown(parts[1]))
        {
            return [new FeedKey(parts[1], parts[2], Property(serializedOutput, "contentHash"))];
        }

        return [];
    }

    /// <summary>
    /// Why it failed: the orchestration's failure, the activity that ended it and its failed attempts in a row.
    /// </summary>
    public static FailureView? Failure(OrchestrationMetadata instance, IReadOnlyList<HistoryRecord> history)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(history);
        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Failed)
        {
            return null;
        }

        var completed = history.LastOrDefault(e => e.View.Type == "ExecutionCompleted");
        var orchestration = completed?.Failure
            ?? From(instance.FailureDetails)
            ?? new RecordedFailure(null, Unquote(instance.SerializedOutput) ?? "The orchestration failed; the engine recorded no message.", null, null);

        // TaskHubHistory names a task's completion or failure after the task it answers.
        var failuresInARow = new Dictionary<string, int>(StringComparer.Ordinal);
        (string Name, RecordedFailure? Failure)? lastFailed = null;
        foreach (var record in history)
        {
            switch (record.View)
            {
                case { Type: "TaskCompleted", Name: { } name }:
                    failuresInARow[name] = 0;
                    break;
                case { Type: "TaskFailed", Name: { } name }:
                    failuresInARow[name] = failuresInARow.GetValueOrDefault(name) + 1;
                    lastFailed = (name, record.Failure);
                    break;
            }
        }

        // The activity ended the run when the orchestrator let its failure through (TaskFailedException naming it);
        // an orchestrator that caught it and failed for a reason of its own names no activity.
        string? activity = null;
        RecordedFailure cause = orchestration.Root;
        if (lastFailed is { } failed
            && (orchestration.Type is null
                || orchestration.Type.EndsWith("TaskFailedException", StringComparison.Ordinal)
                || (orchestration.Message?.Contains($"'{failed.Name}'", StringComparison.Ordinal) ?? false)))
        {
            activity = failed.Name;
            // The activity's own exception says why in the hub's words (which blob, which period); what it wraps is
            // the technical cause, kept beside it.
            cause = failed.Failure ?? orchestration.Root;
        }

        var message = cause.Message ?? orchestration.Message ?? "";
        if (cause.Inner is not null && cause.Root.Message is { Length: > 0 } rootMessage && !message.Contains(rootMessage, StringComparison.Ordinal))
        {
            message += $" (caused by {cause.Root.Type}: {rootMessage})";
        }

        return new FailureView(
            message,
            cause.Type,
            cause.StackTrace,
            activity,
            activity is null ? null : failuresInARow[activity],
            orchestration.Message,
            completed?.View.Timestamp ?? instance.LastUpdatedAt);
    }

    // ProcessFeed names the feed it quarantined in its custom status (stage) and its output (outcome).
    public static string? QuarantinedFeedId(string? serializedCustomStatus, string? serializedOutput)
    {
        if (string.Equals(Property(serializedCustomStatus, "stage"), "quarantined", StringComparison.OrdinalIgnoreCase)
            && Property(serializedCustomStatus, "feedId") is { Length: > 0 } fromStatus)
        {
            return fromStatus;
        }

        return string.Equals(Property(serializedOutput, "outcome"), "Quarantined", StringComparison.OrdinalIgnoreCase)
            && Property(serializedOutput, "feedId") is { Length: > 0 } fromOutput
            ? fromOutput
            : null;
    }

    public static (string? Text, bool Truncated) Summary(string? text, int max = 4096) =>
        text is { Length: > 0 } && text.Length > max ? (text[..max] + "…", true) : (text, false);

    private static RecordedFailure? From(TaskFailureDetails? details) =>
        details is null ? null : new RecordedFailure(details.ErrorType, details.ErrorMessage, details.StackTrace, From(details.InnerFailure));

    private static string? Unquote(string? serialized)
    {
        if (string.IsNullOrEmpty(serialized) || serialized[0] != '"')
        {
            return serialized;
        }

        try
        {
            return JsonSerializer.Deserialize<string>(serialized);
        }
        catch (JsonException)
        {
            return serialized;
        }
    }

    // Any case: instances stored before the hub set one naming policy for both hosts may hold PascalCase names.
    private static string? Property(string? serialized, string name)
    {
        if (string.IsNullOrEmpty(serialized))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(serialized);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    return property.Value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (an old or foreign payload): nothing to read.
        }

        return null;
    }
}
