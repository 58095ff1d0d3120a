using System.Text.Json.Serialization;

namespace IntegrationHub.Functions.Pull;

// Orchestration inputs and outputs are persisted in the task hub's history: small records, additive changes only.

/// <summary>
/// One pull. The retry policy travels in the input because an orchestrator may not read configuration (replays must
/// see the values the first run saw).
/// </summary>
public sealed record PullInput(string Source, string Period, int MaxAttempts, int FirstRetryIntervalSeconds);

public sealed record FetchRequest(string Source, string Period);

/// <summary>The fetched bytes are in <c>landing/{Source}/{ContentHash}.json</c>, judged; <see cref="AlreadyDecided"/>
/// when they had been received before.</summary>
public sealed record FetchedFeed(string Source, string Period, string ContentHash, bool AlreadyDecided)
{
    public string? FeedId { get; init; }

    /// <summary>Null in the outputs of older builds, which judged inside the feed's run.</summary>
    public bool? Accepted { get; init; }

    /// <summary>The accepted feed's ProcessFeed run, started by the fetch.</summary>
    public string? ProcessingInstanceId { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<PullOutcome>))]
public enum PullOutcome
{
    /// <summary>The department served bytes the hub already had: nothing changed.</summary>
    Unchanged,

    /// <summary>New bytes, landed and handed to their own ProcessFeed run (<see cref="PullResult.ProcessingInstanceId"/>).</summary>
    Received,

    /// <summary>New bytes that failed validation: landed and quarantined with their report; no run.</summary>
    Quarantined,
}

public sealed record PullResult(string Source, string Period, PullOutcome Outcome, string ContentHash, string? ProcessingInstanceId);

/// <summary>The department answered in a way no retry will fix (not configured, host not allowed, feed too large).</summary>
public sealed class PullRefusedException(string message) : Exception(message)
{
    public PullRefusedException()
        : this("The pull was refused.")
    {
    }

    public PullRefusedException(string message, Exception inner)
        : this(message + " " + inner.Message)
    {
    }
}
