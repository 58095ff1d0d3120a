using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using IntegrationHub.Functions.Resilience;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Ops;

/// <summary>A failure as the engine recorded it (type, message, stack), with the failure that caused it.</summary>
public sealed record RecordedFailure(string? Type, string? Message, string? StackTrace, RecordedFailure? Inner)
{
    /// <summary>The innermost cause.</summary>
    public RecordedFailure Root => Inner?.Root ?? this;
}

/// <summary>One history event with what ops read from it beyond its summary.</summary>
public sealed record HistoryRecord(HistoryEventView View, RecordedFailure? Failure, string? OrchestrationStatus);

/// <summary>An instance's history, and where it came from (or why there is none).</summary>
public sealed record InstanceHistory(IReadOnlyList<HistoryRecord> Events, string Source);

/// <summary>
/// Reads an instance's history from the task hub's history table (the Durable Task Azure Storage backend:
/// <c>{TaskHubName}History</c>, partition = instance id, one row per event in row-key order). The SDK's own history
/// call answers nothing through the local sidecar, and on this backend a failed instance's failure details come back
/// empty, while the table has every event with its failure: so ops read it directly, with the same storage
/// connection the Durable runtime uses (<c>AzureWebJobsStorage</c>: a connection string locally; in Azure
/// <c>AzureWebJobsStorage__accountName</c> or <c>__tableServiceUri</c> with the app's identity).
/// </summary>
public sealed partial class TaskHubHistory
{
    /// <summary>The task hub the local host uses when <c>DurableTaskHubName</c> is not set.</summary>
    public const string DefaultTaskHubName = "integrationhub";

    private const string StorageSection = "AzureWebJobsStorage";
    private const int DetailLength = 500;

    private readonly Lazy<TableClient?> table;
    private readonly ILogger<TaskHubHistory> logger;

    public TaskHubHistory(IConfiguration configuration, AzureComponentFactory components, ILogger<TaskHubHistory> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(components);
        this.logger = logger;
        TaskHubName = configuration["DurableTaskHubName"] is { Length: > 0 } name ? name : DefaultTaskHubName;
        table = new Lazy<TableClient?>(() => CreateTable(configuration.GetSection(StorageSection), components, TaskHubName));
    }

    public string TaskHubName { get; }

    public async Task<InstanceHistory> ReadAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (table.Value is not { } history)
        {
            return new InstanceHistory([], $"unavailable: set {StorageSection} (the task hub's storage) to read it");
        }

        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException ex)
        {
            LogUnreadable(logger, ex, history.Name, instanceId);
            return new InstanceHistory([], $"unavailable: the history table {history.Name} could not be read ({ex.Status} {ex.ErrorCode})");
        }

        // A restarted instance may still hold rows of earlier executions: show the current one, which the sentinel row names.
        var sentinel = rows.FirstOrDefault(r => r.RowKey == "sentinel");
        var events = rows.Where(r => r.RowKey != "sentinel").OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        var execution = sentinel?.GetString("ExecutionId")
            ?? events.LastOrDefault(r => r.GetString("EventType") == "ExecutionStarted")?.GetString("ExecutionId");
        if (execution is not null)
        {
            events = [.. events.Where(r => r.GetString("ExecutionId") is not { } id || id == execution)];
        }

        return new InstanceHistory(NameTaskResults([.. events.Select(ToRecord)]), $"task hub history table {history.Name}");
    }

    /// <summary>A task's completion or failure row has no name of its own: it takes the name of the task it answers.</summary>
    private static List<HistoryRecord> NameTaskResults(List<HistoryRecord> records)
    {
        var scheduled = new Dictionary<int, string>();
        for (var i = 0; i < records.Count; i++)
        {
            var view = records[i].View;
            if (view.Type == "TaskScheduled" && view.EventId is { } id && view.Name is { } name)
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

    private static HistoryRecord ToRecord(TableEntity row)
    {
        var type = row.GetString("EventType") ?? "Unknown";
        var failure = ParseFailure(row.GetString("FailureDetails"));
        if (failure is null && (row.GetString("Reason") is { Length: > 0 } || row.GetString("Details") is { Length: > 0 }))
        {
            failure = new RecordedFailure(null, row.GetString("Reason"), row.GetString("Details"), null);
        }

        var status = row.GetString("OrchestrationStatus");
        var detail = type switch
        {
            "TaskFailed" or "SubOrchestrationInstanceFailed" => failure?.Root.Message,
            "ExecutionCompleted" => Join(status, failure?.Message ?? row.GetString("Result")),
            "ExecutionTerminated" => row.GetString("Input"),
            "ExecutionSuspended" or "ExecutionResumed" => row.GetString("Reason"),
            "TimerCreated" or "TimerFired" => row.GetDateTimeOffset("FireAt")?.ToString("O", CultureInfo.InvariantCulture),
            "GenericEvent" => row.GetString("Data"),
            // What the event said (the name is shown beside it): for "included", the data-set version that took the feed in.
            "EventRaised" or "EventSent" => row.GetString("Input") ?? row.GetString("Name"),
            _ => null,
        };

        var view = new HistoryEventView(
            row.GetInt32("EventId"),
            type,
            row.GetString("Name"),
            row.GetDateTimeOffset("_Timestamp") ?? row.Timestamp,
            row.GetInt32("TaskScheduledId"),
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

    /// <summary>The engine's serialised failure details (type, message, stack, inner failure), property names in any case.</summary>
    internal static RecordedFailure? ParseFailure(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? FromElement(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return new RecordedFailure(null, json, null, null);
        }
    }

    private static RecordedFailure FromElement(JsonElement element)
    {
        string? type = null, message = null, stack = null;
        RecordedFailure? inner = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name.ToUpperInvariant())
            {
                case "ERRORTYPE":
                    type = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "ERRORMESSAGE":
                    message = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "STACKTRACE":
                    stack = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "INNERFAILURE" when property.Value.ValueKind == JsonValueKind.Object:
                    inner = FromElement(property.Value);
                    break;
            }
        }

        return new RecordedFailure(type, message, stack, inner);
    }

    private static TableClient? CreateTable(IConfigurationSection storage, AzureComponentFactory components, string taskHubName)
    {
        var tableName = taskHubName + "History";
        // Bounded like every other storage client: an ops page must not hang on storage that is away.
        var options = new TableClientOptions();
        StorageRetry.Apply(options);
        if (storage.Value is { Length: > 0 } connectionString)
        {
            return new TableClient(connectionString, tableName, options);
        }

        var endpoint = storage["tableServiceUri"] is { Length: > 0 } uri ? new Uri(uri)
            : storage["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.table.core.windows.net")
            : null;
        // The same identity settings the Functions host reads for this connection (credential, clientId, …).
        return endpoint is null ? null : new TableClient(endpoint, tableName, components.CreateTokenCredential(storage), options);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "History table {Table} could not be read for {InstanceId}")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string table, string instanceId);
}
